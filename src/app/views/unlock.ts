// The unlock screen of an encrypted memory: shown instead of the views until the right passphrase opens it.

import { isMnemoError } from 'mnemo';
import type { AppContext } from '../app-context.js';
import { describeError, h } from '../dom.js';

/** Resolves once the memory is open; a wrong passphrase is said and asked again. */
export function unlock(app: AppContext, host: HTMLElement): Promise<void> {
  return new Promise((resolve) => {
    const passphrase = h('input', {
      id: 'unlock-passphrase',
      type: 'password',
      required: true,
      autocomplete: 'current-password',
    });
    const error = h('p', { id: 'unlock-error', class: 'error', role: 'alert' });
    const button = h('button', { type: 'submit', class: 'primary' }, 'Unlock');
    const form = h(
      'form',
      {
        class: 'stack',
        onsubmit: (event: Event) => {
          event.preventDefault();
          button.disabled = true;
          error.textContent = '';
          app.say('Unlocking…');
          app
            .open(passphrase.value)
            .then(() => {
              section.remove();
              resolve();
            })
            .catch((failure: unknown) => {
              error.textContent =
                isMnemoError(failure) && failure.code === 'WRONG_PASSPHRASE'
                  ? 'That passphrase does not unlock this memory. Nothing was read; try again.'
                  : describeError(failure);
              app.say('Locked.', true);
              passphrase.select();
            })
            .finally(() => (button.disabled = false));
        },
      },
      h('label', { for: 'unlock-passphrase' }, 'Passphrase'),
      passphrase,
      error,
      button,
    );
    const section = h(
      'section',
      { id: 'view-unlock', class: 'panel', 'aria-labelledby': 'unlock-title' },
      h('h2', { id: 'unlock-title' }, 'This memory is encrypted'),
      h('p', {}, 'Enter its passphrase to open it. The passphrase is not stored anywhere: if it is lost, so is the memory.'),
      form,
    );
    host.prepend(section);
    app.say('Locked: enter the passphrase.');
    passphrase.focus();
  });
}
