// The injection classifier: logistic regression over hashed features (features.ts), trained by
// bench/poisoning/train.ts on corpora of three authors and stored as int8 weights (weights.ts). It catches
// injections phrased in ways no rule foresaw; the rules (../instruction-rules.ts) stay, and either flags a text.

import { featuresOf, featuresOfForm, type Features } from './features.js';
import { CLASSIFIER } from './weights.js';

export interface ClassifierModel {
  bits: number;
  bias: number;
  /** The int8 weights are multiplied by this. */
  scale: number;
  /** A text whose score reaches this is flagged. */
  threshold: number;
  /** Int8 weights, base64. */
  weights: string;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 to bytes, by hand: the core runs on ES2022 alone, without atob or Buffer. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let at = 0;
  for (const char of clean) {
    const value = BASE64.indexOf(char);
    if (value < 0) throw new Error(`not base64: ${char}`);
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63]! : '=';
  }
  return out;
}

/** Each model's weights, decoded once. */
const decoded = new WeakMap<ClassifierModel, Int8Array>();
function weightsOf(model: ClassifierModel): Int8Array {
  let weights = decoded.get(model);
  if (!weights) decoded.set(model, (weights = new Int8Array(decodeBase64(model.weights).buffer)));
  return weights;
}

/** The model's score for a text, 0..1: how much it reads like an injection. */
export function injectionScore(text: string, model: ClassifierModel = CLASSIFIER): number {
  return scoreOf(featuresOf(text), model);
}

function scoreOf({ index, value }: Features, model: ClassifierModel): number {
  const w = weightsOf(model);
  let z = model.bias;
  for (let i = 0; i < index.length; i++) z += (w[index[i]!] ?? 0) * model.scale * value[i]!;
  return 1 / (1 + Math.exp(-z));
}

/** Whether the shipped model flags a text, given the form it reads (`formOf` of the text's readings). */
export function classifierFlagsForm(form: string): boolean {
  return scoreOf(featuresOfForm(form), CLASSIFIER) >= CLASSIFIER.threshold;
}
