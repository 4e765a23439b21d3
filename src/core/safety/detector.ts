// The poisoning detector: which safety flags a text earns. Pure and deterministic, so a record's flags can be
// computed again from its text at any time (an import does).

import type { SafetyFlag } from './flags.js';
import { CUE_THRESHOLD, cueScore } from './cues.js';
import { hasHiddenUnicode } from './hidden-unicode.js';
import { hasHomoglyphs } from './homoglyphs.js';
import { COMPACT_RULES, INSTRUCTION_RULES } from './instruction-rules.js';
import { PARAPHRASE_RULES } from './paraphrase-rules.js';
import { readings, type Readings } from './normalise.js';
import { formOf } from './classifier/features.js';
import { classifierFlagsForm } from './classifier/model.js';

const RULES = [...INSTRUCTION_RULES, ...PARAPHRASE_RULES];

export interface Scan {
  flags: SafetyFlag[];
  /** The instruction rules that matched, strong ones first: why a text was flagged. */
  rules: string[];
}

/** Texts longer than this are scanned in their first and last part only: an injection is said, not buried. */
const SCAN_CHARS = 20_000;

const sampleOf = (text: string) =>
  text.length > SCAN_CHARS ? `${text.slice(0, SCAN_CHARS / 2)}\n${text.slice(-SCAN_CHARS / 2)}` : text;

/** The instruction rules that match a text: strong ones, and weak ones (two different weak ones flag). */
function ruleHits({ forms, compact }: Readings): { strong: string[]; weak: string[] } {
  const strong: string[] = [];
  const weak: string[] = [];
  for (const rule of RULES) {
    if (forms.some((form) => rule.pattern.test(form))) (rule.strength === 'strong' ? strong : weak).push(rule.name);
  }
  if (compact !== undefined) for (const rule of COMPACT_RULES) if (rule.pattern.test(compact)) strong.push(rule.name);
  if (forms.some((form) => cueScore(form) >= CUE_THRESHOLD)) strong.push('cues');
  return { strong, weak };
}

// Two different weak cues: rules of one name (the same cue, found two ways) count once.
const rulesFlag = ({ strong, weak }: { strong: string[]; weak: string[] }) => strong.length > 0 || new Set(weak).size >= 2;

/** Whether the rules alone flag a text as instruction-like (the classifier's trainer reads this). */
export function scanRules(text: string): boolean {
  return rulesFlag(ruleHits(readings(sampleOf(text))));
}

export function scanText(text: string): Scan {
  // Read once (obfuscation undone) for the rules and the classifier alike.
  const read = readings(sampleOf(text));
  const { strong, weak } = ruleHits(read);
  const flags: SafetyFlag[] = [];
  const byRules = rulesFlag({ strong, weak });
  // The classifier reads what the rules did not flag: wording no rule foresaw.
  const byModel = !byRules && classifierFlagsForm(formOf(read));
  if (byRules || byModel) flags.push('instruction');
  if (hasHiddenUnicode(text)) flags.push('hidden-unicode');
  if (hasHomoglyphs(text)) flags.push('homoglyph');
  return { flags, rules: [...strong, ...weak, ...(byModel ? ['classifier'] : [])] };
}

/** The flags of a text, or undefined when it has none (the record then carries no `flags` field). */
export function flagsOf(text: string): SafetyFlag[] | undefined {
  const { flags } = scanText(text);
  return flags.length > 0 ? flags : undefined;
}
