// Several tabs on an encrypted namespace: a follower's passphrase is checked by the leader's host as a second
// connection's is (WRONG_PASSPHRASE, LOCKED), and a tab that cannot take over fails its calls with the reason
// until a tab with the right passphrase leads again.

import type { BrowserContext, Page } from '@playwright/test';
import type { MemoryClient } from '../src/index.js';
import type { CoordinationEvent } from '../src/sdk/tab-facade.js';
import { expect, openHarness, test } from './support/fixtures.js';

declare global {
  interface Window {
    tab: MemoryClient;
    roles: string[];
  }
}

/** Opens a page and tries its memory; answers the error code, or 'ok' and the role the page took. */
async function openTab(
  context: BrowserContext,
  namespace: string,
  passphrase: string | undefined,
): Promise<{ page: Page; opened: string }> {
  const page = await context.newPage();
  await openHarness(page);
  const opened = await page.evaluate(
    async ({ ns, passphrase }) => {
      window.roles = [];
      try {
        window.tab = await window.harness.createMemory({
          namespace: ns,
          coordination: 'leader',
          ...(passphrase !== undefined && { encryption: { passphrase } }),
          onCoordination: (event: CoordinationEvent) => {
            if (event.type !== 'served') window.roles.push(event.type);
          },
        });
        return `ok:${window.roles.at(-1)}`;
      } catch (error) {
        return (error as { code?: string }).code ?? String(error);
      }
    },
    { ns: namespace, passphrase },
  );
  return { page, opened };
}

const texts = (page: Page) => page.evaluate(async () => (await window.tab.list()).map((record) => record.text));

test("a follower's passphrase is checked by the leader's host: wrong, missing and right", async ({ context, namespace }) => {
  const leader = await openTab(context, namespace, 'right horse battery');
  expect(leader.opened).toBe('ok:leader');
  await leader.page.evaluate(() => window.tab.remember({ text: 'Sealed in tab one' }));

  expect((await openTab(context, namespace, 'wrong staple')).opened).toBe('WRONG_PASSPHRASE');
  expect((await openTab(context, namespace, undefined)).opened).toBe('LOCKED');
  const follower = await openTab(context, namespace, 'right horse battery');
  expect(follower.opened).toBe('ok:follower');
  expect(await texts(follower.page)).toEqual(['Sealed in tab one']);

  // The leader closes: the follower (whose passphrase was checked) takes over and reads what is sealed.
  await leader.page.evaluate(() => window.tab.close());
  await follower.page.evaluate(() => window.tab.remember({ text: 'Sealed in tab two' }));
  expect((await texts(follower.page)).sort()).toEqual(['Sealed in tab one', 'Sealed in tab two']);
  expect(await follower.page.evaluate(() => window.roles)).toEqual(['follower', 'leader']);
  expect((await openTab(context, namespace, 'wrong staple')).opened).toBe('WRONG_PASSPHRASE');
});

test('a tab without the passphrase cannot lead an encrypted namespace; one with it then leads for all', async ({
  context,
  namespace,
}) => {
  const first = await openTab(context, namespace, 'old passphrase');
  await first.page.evaluate(() => window.tab.remember({ text: 'Kept across a passphrase change' }));
  await first.page.evaluate(() => window.tab.close());
  expect((await openTab(context, namespace, undefined)).opened).toBe('LOCKED');

  // Tab two joins with the old passphrase; the leader then changes it and closes, so tab two cannot take over:
  // its calls fail with WRONG_PASSPHRASE instead of waiting for ever, until a tab with the new one leads.
  const leader = await openTab(context, namespace, 'old passphrase');
  expect(leader.opened).toBe('ok:leader');
  const stale = await openTab(context, namespace, 'old passphrase');
  expect(stale.opened).toBe('ok:follower');
  await leader.page.evaluate(() => window.tab.encryption.changePassphrase('old passphrase', 'new passphrase'));
  await leader.page.evaluate(() => window.tab.close());
  const failed = await stale.page.evaluate(() =>
    window.tab.list().then(
      () => 'ok',
      (error: { code?: string }) => error.code,
    ),
  );
  expect(failed).toBe('WRONG_PASSPHRASE');

  const unlocking = await openTab(context, namespace, 'new passphrase');
  expect(unlocking.opened).toBe('ok:leader');
  await expect.poll(() => stale.page.evaluate(() => window.roles)).toEqual(['follower', 'follower']);
  expect(await texts(stale.page)).toEqual(['Kept across a passphrase change']);
});
