// Settings, encryption part. Encryption at rest is being added to the SDK; until it lands this is a labelled,
// disabled control so nobody believes their memory is encrypted when it is not.

import type { AppContext } from '../app-context.js';
import { h } from '../dom.js';

export function encryptionSettings(_app: AppContext): { element: HTMLElement; refresh(): Promise<void> } {
  const passphrase = h('input', { id: 'encryption-passphrase', type: 'password', disabled: true, autocomplete: 'new-password' });
  const element = h(
    'section',
    { class: 'panel', id: 'settings-encryption', 'aria-labelledby': 'settings-encryption-title' },
    h('h3', { id: 'settings-encryption-title' }, 'Encryption (not available yet)'),
    h(
      'p',
      { class: 'hint' },
      'Not available in this version: your memory is stored unencrypted in this browser’s IndexedDB, readable by anyone who can use this browser profile.',
    ),
    h('label', { for: 'encryption-passphrase' }, 'Passphrase'),
    passphrase,
    h('button', { type: 'button', disabled: true }, 'Turn on encryption'),
  );
  return { element, refresh: async () => undefined };
}
