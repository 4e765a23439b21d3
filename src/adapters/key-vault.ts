// The keys of an encrypted namespace: a key-encryption key derived from the passphrase (PBKDF2-SHA256) wraps a
// random data key; only the wrapped key, the salt and the iteration count are stored (in the `meta` store).

import { MnemoError } from '../core/errors.js';

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA256 (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html). */
export const DEFAULT_ITERATIONS = 600_000;
export const MAX_PASSPHRASE_LENGTH = 1024;
/** The `meta` key the vault entry is stored under. */
export const VAULT_META_KEY = 'encryption';

/** What the `meta` store holds: nothing here reveals the passphrase or the data key. */
export interface VaultEntry {
  version: 1;
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  salt: Uint8Array;
  /** The 32-byte data key seed, AES-GCM-encrypted under the passphrase key (IV first, tag last). */
  wrappedKey: Uint8Array;
  /** When encryption was turned on (epoch ms); a passphrase change keeps it. */
  since: number;
}

/** The working keys of an unlocked namespace, derived from the data key seed with HKDF; none can be exported. */
export interface DataKeys {
  /** AES-GCM-256: every sealed value. */
  cipher: CryptoKey;
  /** HMAC-SHA256: the tags that stand in for the index fields (tier, session) so they are not stored clear. */
  tagger: CryptoKey;
}

const IV_BYTES = 12;
const encoder = new TextEncoder();

/** WebCrypto's types take ArrayBuffer-backed views only; bytes read back from storage are typed more loosely. */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);

/** A passphrase checked without ever putting it in an error message. */
export function checkPassphrase(value: unknown, name = 'passphrase'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PASSPHRASE_LENGTH) {
    throw new MnemoError(
      'INVALID_ARGUMENT',
      `${name} must be a non-empty string of at most ${MAX_PASSPHRASE_LENGTH} characters.`,
      {
        details: { argument: name },
      },
    );
  }
  return value;
}

/** Makes a new data key and its vault entry; the caller stores the entry. */
export async function createVault(
  namespace: string,
  passphrase: string,
  iterations: number,
  now: number,
): Promise<{ entry: VaultEntry; keys: DataKeys }> {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const entry = await wrapSeed(namespace, passphrase, seed, iterations, now);
  return { entry, keys: await dataKeys(seed) };
}

/** The data keys, or WRONG_PASSPHRASE when the passphrase does not unwrap the stored key. */
export async function unlockVault(namespace: string, entry: VaultEntry, passphrase: string): Promise<DataKeys> {
  return dataKeys(await unwrapSeed(namespace, entry, passphrase));
}

/** The same data key under a new passphrase (and a new salt): nothing else is re-encrypted. */
export async function rewrapVault(
  namespace: string,
  entry: VaultEntry,
  oldPassphrase: string,
  newPassphrase: string,
  iterations: number,
): Promise<VaultEntry> {
  const seed = await unwrapSeed(namespace, entry, oldPassphrase);
  return wrapSeed(namespace, newPassphrase, seed, Math.max(iterations, entry.iterations), entry.since);
}

/** A vault entry read back from storage, or a typed error if it is not one this code wrote. */
export function checkVaultEntry(value: unknown): VaultEntry {
  const entry = value as Partial<VaultEntry> | null;
  if (
    typeof entry !== 'object' ||
    entry === null ||
    entry.version !== 1 ||
    entry.kdf !== 'PBKDF2-SHA256' ||
    !Number.isSafeInteger(entry.iterations) ||
    (entry.iterations ?? 0) < 1 ||
    !(entry.salt instanceof Uint8Array) ||
    !(entry.wrappedKey instanceof Uint8Array) ||
    typeof entry.since !== 'number'
  ) {
    throw new MnemoError('STORE_FAILURE', 'The stored encryption key entry is unreadable; the namespace cannot be unlocked.');
  }
  return entry as VaultEntry;
}

async function wrapSeed(
  namespace: string,
  passphrase: string,
  seed: Uint8Array,
  iterations: number,
  since: number,
): Promise<VaultEntry> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await deriveKek(passphrase, salt, iterations);
  const wrappedKey = await sealBytes(kek, seed, wrapContext(namespace));
  return { version: 1, kdf: 'PBKDF2-SHA256', iterations, salt, wrappedKey, since };
}

async function unwrapSeed(namespace: string, entry: VaultEntry, passphrase: string): Promise<Uint8Array> {
  const kek = await deriveKek(passphrase, entry.salt, entry.iterations);
  try {
    return await openBytes(kek, entry.wrappedKey, wrapContext(namespace));
  } catch {
    // AES-GCM authenticates: a wrong passphrase fails here, before any data is read.
    throw new MnemoError('WRONG_PASSPHRASE', `The passphrase does not unlock the memory "${namespace}".`, {
      details: { namespace },
    });
  }
}

function wrapContext(namespace: string): Uint8Array {
  return encoder.encode(`mnemo/v1/data-key/${namespace}`);
}

async function deriveKek(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  // NFC, so the same passphrase typed on two keyboards (composed or decomposed accents) gives the same key.
  const material = await crypto.subtle.importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: own(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function dataKeys(seed: Uint8Array): Promise<DataKeys> {
  const base = await crypto.subtle.importKey('raw', own(seed), 'HKDF', false, ['deriveKey']);
  const hkdf = (info: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) });
  const [cipher, tagger] = await Promise.all([
    crypto.subtle.deriveKey(hkdf('mnemo/v1/aes-gcm'), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
    crypto.subtle.deriveKey(hkdf('mnemo/v1/hmac'), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']),
  ]);
  return { cipher, tagger };
}

/** AES-GCM with a fresh random 96-bit IV, returned as IV || ciphertext || tag; `context` is the additional data. */
export async function sealBytes(key: CryptoKey, plain: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: own(context) }, key, own(plain)),
  );
  const out = new Uint8Array(IV_BYTES + sealed.length);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return out;
}

/** The inverse of `sealBytes`; rejects (OperationError) if the bytes or the context were altered. */
export async function openBytes(key: CryptoKey, sealed: Uint8Array, context: Uint8Array): Promise<Uint8Array> {
  const bytes = own(sealed);
  const iv = bytes.subarray(0, IV_BYTES);
  const body = bytes.subarray(IV_BYTES);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: own(context) }, key, body));
}

/** Bytes added by `sealBytes`: the IV and the 16-byte tag. */
export const SEAL_OVERHEAD = IV_BYTES + 16;
