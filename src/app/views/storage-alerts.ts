// What the browser did to the memory's storage, said on the first screen: a database Chromium deleted as corrupt
// (stats().dataLoss, until the person has read it) and rows set aside as unreadable (stats().quarantine, until
// deleted: they still hold their text).

import type { MemoryStats } from '../../index.js';
import type { AppContext } from '../app-context.js';
import { h, replace } from '../dom.js';

export function storageAlerts(
  app: AppContext,
  refresh: () => Promise<void>,
): {
  element: HTMLElement;
  show(stats: MemoryStats): void;
} {
  const element = h('div', { id: 'storage-alerts', role: 'status' });
  return {
    element,
    show(stats) {
      const alerts: HTMLElement[] = [];
      if (stats.dataLoss) {
        const when = new Date(stats.dataLoss.at).toLocaleString();
        alerts.push(
          h(
            'div',
            { class: 'callout alert', id: 'data-loss-alert' },
            h('strong', {}, 'Memories were lost. '),
            `On ${when} this browser found the memory's database damaged and deleted it; what it held before is gone. `,
            stats.dataLoss.message ? `The browser said: “${stats.dataLoss.message}”. ` : '',
            'Import a backup in Settings if you have one.',
            h(
              'button',
              {
                type: 'button',
                onclick: () =>
                  void app.attempt(async () => {
                    await app.memory.acknowledgeDataLoss();
                    await refresh();
                  }),
              },
              'I have read this',
            ),
          ),
        );
      }
      const { records, vectors } = stats.quarantine;
      if (records > 0 || vectors > 0) {
        alerts.push(
          h(
            'div',
            { class: 'callout alert', id: 'quarantine-alert' },
            h('strong', {}, 'Some stored data could not be read. '),
            records > 0
              ? `${records} ${records === 1 ? 'record is' : 'records are'} set aside, not deleted, and kept out of every answer. `
              : '',
            vectors > 0 ? `${vectors} ${vectors === 1 ? 'vector was' : 'vectors were'} unreadable and computed again.` : '',
            records > 0
              ? h(
                  'button',
                  {
                    type: 'button',
                    onclick: () =>
                      void app.attempt(async () => {
                        const gone = await app.memory.purgeQuarantine();
                        app.say(
                          `Deleted ${gone.length} unreadable ${gone.length === 1 ? 'record' : 'records'} from this device.`,
                        );
                        await refresh();
                      }),
                  },
                  'Delete them for good',
                )
              : '',
          ),
        );
      }
      replace(element, ...alerts);
    },
  };
}
