// What the runtime needs from an encrypting store: its status for stats(), and the verbs that change it.
// The encryption itself happens below the core (src/adapters/encrypted-store.ts); the core never sees a key.

import type { EncryptionStatus } from './api.js';

export interface EncryptionControl {
  status(): EncryptionStatus;
  /** Turns encryption on (sealing what is stored); on an encrypted namespace, only checks the passphrase. */
  enable(passphrase: string): Promise<void>;
  /** Rewraps the data key under the new passphrase; nothing else is re-encrypted. */
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void>;
  /**
   * Lets another connection share this open memory: an encrypted one needs its passphrase (LOCKED without,
   * WRONG_PASSPHRASE if wrong); a passphrase given for a plaintext one turns encryption on, as at open.
   */
  admit(passphrase: string | undefined): Promise<void>;
}
