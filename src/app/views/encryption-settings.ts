// Settings, encryption part: turn encryption at rest on with a passphrase, change it, or lock the app now.

import type { AppContext } from '../app-context.js';
import { dateTime, h, replace } from '../dom.js';

function passwordField(id: string, label: string, autocomplete: string): [HTMLLabelElement, HTMLInputElement] {
  return [h('label', { for: id }, label), h('input', { id, type: 'password', required: true, minlength: 8, autocomplete })];
}

export function encryptionSettings(app: AppContext): { element: HTMLElement; refresh(): Promise<void> } {
  const state = h('p', { id: 'encryption-state' });
  const [newLabel, first] = passwordField('encryption-passphrase', 'Passphrase (8 characters or more)', 'new-password');
  const [againLabel, again] = passwordField('encryption-again', 'The same passphrase again', 'new-password');
  const turnOn = h(
    'form',
    {
      class: 'stack',
      id: 'encryption-on',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (first.value !== again.value) {
          app.say('The two passphrases differ.', true);
          return;
        }
        const passphrase = first.value;
        app.say('Encrypting everything stored…');
        void app.attempt(async () => {
          await app.memory.encryption.enable(passphrase);
          app.rememberPassphrase(passphrase);
          first.value = again.value = '';
          await refresh();
        }, 'Encryption is on: everything stored is sealed with your passphrase.');
      },
    },
    newLabel,
    first,
    againLabel,
    again,
    h('button', { type: 'submit', class: 'primary' }, 'Turn on encryption'),
  );

  const [oldLabel, old] = passwordField('encryption-old', 'Current passphrase', 'current-password');
  const [nextLabel, next] = passwordField('encryption-new', 'New passphrase', 'new-password');
  const change = h(
    'form',
    {
      class: 'stack',
      id: 'encryption-change',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const passphrase = next.value;
        void app.attempt(async () => {
          await app.memory.encryption.changePassphrase(old.value, passphrase);
          app.rememberPassphrase(passphrase);
          old.value = next.value = '';
        }, 'Passphrase changed.');
      },
    },
    oldLabel,
    old,
    nextLabel,
    next,
    h('button', { type: 'submit' }, 'Change passphrase'),
    // The passphrase lives only in this page: reloading forgets it, and the unlock screen asks for it.
    h('button', { type: 'button', id: 'encryption-lock', onclick: () => location.reload() }, 'Lock now'),
  );

  async function refresh(): Promise<void> {
    const status = (await app.memory.stats()).encryption;
    const on = status?.enabled === true;
    replace(
      state,
      on
        ? `On since ${dateTime(status.since ?? 0)}: records, vectors and indexes are sealed with ${status.cipher ?? 'AES-GCM'}, the key derived from your passphrase (${status.kdf ?? 'PBKDF2'}, ${status.iterations ?? '?'} iterations). The passphrase is not stored: if it is lost, so is the memory.`
        : 'Off: your memory is stored unencrypted in this browser, readable by anyone who can use this browser profile. Turning it on seals everything with a passphrase you enter at each start; it cannot be turned off again (export a backup and import it into a fresh memory instead).',
    );
    turnOn.hidden = on;
    change.hidden = !on;
  }

  const element = h(
    'section',
    { class: 'panel', id: 'settings-encryption', 'aria-labelledby': 'settings-encryption-title' },
    h('h3', { id: 'settings-encryption-title' }, 'Encryption at rest'),
    state,
    turnOn,
    change,
  );
  return { element, refresh };
}
