// The main flows of the app in real Chromium against the production build: write, search with scores and why,
// relative time, tiers (blocks, facts with validity, instructions, documents), consolidate, map, timeline,
// export and import round trip, forget one and all.

import { readFileSync } from 'node:fs';
import { expect, go, openApp, say, search, test } from './support.js';

test('the first screen says what Mnemo is and that nothing leaves the device; empty views say what to do', async ({ page }) => {
  await openApp(page);
  await expect(page.getByRole('heading', { name: 'A memory that stays on your device' })).toBeVisible();
  await expect(page.getByText('Nothing leaves this device.')).toBeVisible();
  await expect(page.locator('#home-counts')).toContainText('Your memory is empty');
  await page.getByRole('button', { name: 'Start writing' }).click();
  await expect(page.locator('#chat-turns')).toContainText('Nothing said in this conversation yet');
  await go(page, 'Memory');
  await expect(page.locator('#facts')).toContainText('No facts yet');
  await go(page, 'Timeline');
  await expect(page.locator('#timeline')).toContainText('Nothing on the timeline yet');
  await go(page, 'Map');
  await expect(page.locator('#map')).toContainText('No memories with vectors yet');
});

test('the views are reachable and usable by keyboard alone', async ({ page }) => {
  await openApp(page);
  await page.locator('#tab-home').focus();
  await page.keyboard.press('Tab'); // Chat
  await page.keyboard.press('Tab'); // Memory
  await page.keyboard.press('Tab'); // Search
  await expect(page.locator('#tab-search')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#view-search')).toBeVisible();
  await expect(page.locator('#tab-search')).toHaveAttribute('aria-current', 'page');
  await page.locator('#tab-chat').press('Enter');
  await page.getByLabel('Write a note or a turn of the conversation').focus();
  await page.keyboard.type('Keyboard only works');
  await page.keyboard.press('Enter');
  await expect(page.locator('#chat-turns')).toContainText('Keyboard only works');
});

test('write, search with scores and why, relative time, consolidate, facts invalidated, tiers, map, timeline', async ({
  page,
}) => {
  await openApp(page);
  await say(page, 'I live in Leeds');
  await say(page, 'I prefer green tea in the morning');
  await say(page, 'We hiked up Ben Nevis with Sam');
  await page.getByLabel('Tags', { exact: true }).fill('travel, scotland');
  await say(page, 'The ferry to Skye leaves at noon');

  // Tags filter: only the tagged turn, and it carries its tags.
  await search(page, 'ferry hiked tea Leeds');
  await expect(page.locator('#hits li')).not.toHaveCount(1);
  await page.getByText('Filters').click();
  await page.getByLabel('Tags (all of)').fill('scotland');
  await search(page, 'ferry hiked tea Leeds');
  await expect(page.locator('#hits li')).toHaveCount(1);
  await expect(page.locator('#hits li').first()).toContainText('#travel #scotland');
  await page.getByLabel('Tags (all of)').fill('');

  await search(page, 'what tea do I drink');
  const first = page.locator('#hits li').first();
  await expect(first).toContainText('green tea');
  for (const part of ['lexical', 'dense', 'relevance', 'retention', 'why:']) await expect(first).toContainText(part);
  await expect(first).toContainText('shares words with the query');

  // "last week" read from five days ahead: today's hike falls in the window, and the time factor doubles.
  const ahead = new Date(Date.now() + 5 * 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('Read "last week", "yesterday" as seen from').fill(ahead);
  await search(page, 'where did we hike last week');
  await expect(page.locator('#hits li').first()).toContainText('Ben Nevis');
  await expect(page.locator('#hits li').first().locator('dl.scores')).toContainText('×2');
  await expect(page.locator('#hits li').first()).toContainText('happened in the time the query names');

  await go(page, 'Consolidate');
  await expect(page.locator('#consolidate-pending')).toContainText('4 turn(s) wait');
  await page.getByRole('button', { name: 'Consolidate now' }).click();
  await expect(page.locator('#consolidate-result')).toContainText('Done.');
  await expect(page.locator('#consolidate-added')).toContainText('Leeds');
  await expect(page.locator('#consolidate-progress')).toHaveJSProperty('value', 4);

  // A contradiction: the newer statement invalidates the old fact, which stays visible as invalidated.
  await say(page, 'I live in London now');
  await go(page, 'Consolidate');
  await page.getByRole('button', { name: 'Consolidate now' }).click();
  await expect(page.locator('#consolidate-invalidated')).toContainText('Leeds');
  await go(page, 'Memory');
  const leeds = page.locator('#facts li.invalid', { hasText: 'Leeds' });
  await expect(leeds).toContainText('Invalidated.');
  await expect(leeds.locator('s')).toContainText('Leeds');
  await expect(page.locator('#facts > li.fact:not(.invalid)', { hasText: 'London' })).toContainText('valid since');
  await page
    .locator('#facts > li.fact:not(.invalid)', { hasText: 'London' })
    .getByText(/Learnt from/)
    .click();
  await expect(page.locator('#facts > li.fact:not(.invalid)', { hasText: 'London' })).toContainText('“I live in London now”');
  await expect(page.locator('#episodes')).toContainText('Summary');

  // Working block: add, edit, and see it in the context the LLM would get.
  await page.getByLabel('New block label').fill('user_profile');
  await page.getByLabel('Its text').fill('Likes hills.');
  await page.getByRole('button', { name: 'Add block' }).click();
  await page.locator('#block-user_profile').fill('Likes hills and tea.');
  await page.getByRole('button', { name: 'Save user_profile' }).click();
  await expect(page.getByRole('status')).toContainText('Block "user_profile" saved.');
  await page.reload();
  await go(page, 'Memory');
  await expect(page.locator('#block-user_profile')).toHaveValue('Likes hills and tea.');

  await page.getByLabel('Instruction', { exact: true }).fill('Answer in French');
  await page.getByRole('button', { name: 'Add instruction' }).click();
  await expect(page.locator('#instructions')).toContainText('Answer in French');

  await page.getByLabel('Drop a .txt or .md file here, or choose one:').setInputFiles({
    name: 'recipes.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from('# Recipes\n\nThe shortbread needs butter, sugar and flour, baked at 160 degrees for twenty minutes.\n'),
  });
  await expect(page.locator('#documents')).toContainText('recipes.md');
  await search(page, 'how long to bake shortbread');
  await expect(page.locator('#hits li').first()).toContainText('from document “recipes.md”');

  await go(page, 'Map');
  await expect.poll(() => page.locator('#map circle').count()).toBeGreaterThanOrEqual(8);
  await expect(page.locator('#map circle.lit')).not.toHaveCount(0);
  await expect(page.locator('#map text.rank')).toHaveCount(5);
  // The map's own search lights up its hits: the best one is numbered 1.
  await page.getByLabel('Search the map').fill('shortbread');
  await page.getByRole('button', { name: 'Light up' }).click();
  await expect(page.locator('#map-caption')).toContainText('of the last search’s');
  await expect(page.locator('#map text.rank', { hasText: /^1$/ })).toHaveCount(1);
  await expect(page.locator('#map-caption')).toContainText('lit up');

  await go(page, 'Timeline');
  await expect(page.locator('#timeline')).toContainText('Ben Nevis');
  await expect(page.locator('#timeline h3').first()).toContainText(new Date().getFullYear().toString());
});

test('export and import round trip, forget one and forget everything', async ({ page }) => {
  await openApp(page);
  await say(page, 'The spare key is under the blue pot');
  await say(page, 'Dentist on Friday at nine');

  await go(page, 'Memory');
  await page.getByRole('button', { name: 'Forget "Dentist on Friday at nine"' }).first().click();
  await expect(page.getByRole('status')).toContainText('Forgotten');
  await search(page, 'dentist');
  await expect(page.locator('#hits')).not.toContainText('Dentist on Friday');

  await go(page, 'Settings');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export a backup' }).click(),
  ]);
  const backup = readFileSync(await download.path(), 'utf8');
  expect(backup).toContain('spare key');
  expect(backup).not.toContain('Dentist');

  // Import refuses a memory that is not empty, and says so.
  await page
    .getByLabel('Import a backup')
    .setInputFiles({ name: 'backup.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(backup) });
  await expect(page.getByRole('status')).toContainText('NAMESPACE_NOT_EMPTY');

  await page.getByRole('button', { name: 'Forget everything' }).click();
  await expect(page.getByRole('status')).toContainText('Tick "Yes, forget everything" first.');
  await page.getByLabel('Yes, forget everything').check();
  await page.getByRole('button', { name: 'Forget everything' }).click();
  await expect(page.getByRole('status')).toContainText('Forgot everything');
  await expect(page.locator('#storage-info')).toContainText(/records\s*0/);
  await search(page, 'spare key');
  await expect(page.locator('#hits')).toContainText('Nothing matches');

  await go(page, 'Settings');
  await page
    .getByLabel('Import a backup')
    .setInputFiles({ name: 'backup.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(backup) });
  await expect(page.getByRole('status')).toContainText('Imported 1 records');
  await search(page, 'where is the spare key');
  await expect(page.locator('#hits li').first()).toContainText('blue pot');

  // A file that is not a backup is refused with its code; the memory is untouched.
  await go(page, 'Settings');
  await page
    .getByLabel('Import a backup')
    .setInputFiles({ name: 'notes.jsonl', mimeType: 'text/plain', buffer: Buffer.from('hello\n') });
  await expect(page.getByRole('status')).toContainText(/IMPORT_MALFORMED|NAMESPACE_NOT_EMPTY/);
  await expect(page.locator('#storage-info')).toContainText(/records\s*1/);
});

test('with an LLM connected, Chat shows its answer beside the memory context it was given', async ({ page }) => {
  // An OpenAI-compatible endpoint stood in for by the test, on the app's own origin (no other host is reached).
  const prompts: { role: string; content: string }[][] = [];
  await page.route('**/llm/v1/chat/completions', async (route) => {
    const body = route.request().postDataJSON() as { model: string; messages: { role: string; content: string }[] };
    prompts.push(body.messages);
    expect(route.request().headers()['authorization']).toBe('Bearer test-key');
    await route.fulfill({ json: { choices: [{ message: { role: 'assistant', content: `Green tea (${body.model}).` } }] } });
  });
  await openApp(page);
  await say(page, 'Ada prefers green tea');
  await go(page, 'Settings');
  await expect(page.locator('#llm-state')).toContainText('Not connected');
  await page.getByLabel('LLM endpoint URL').fill('http://localhost:4174/llm/v1');
  await page.getByLabel('API key (empty for a local server)').fill('test-key');
  await page.getByLabel('LLM model name').fill('tiny-chat');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('#llm-state')).toContainText('Connected: tiny-chat');

  await say(page, 'What should I serve Ada?');
  await expect(page.locator('#chat-answer')).toContainText('Green tea (tiny-chat).');
  await expect(page.locator('#chat-context')).toContainText('Ada prefers green tea');
  expect(prompts).toHaveLength(1);
  expect(prompts[0]![0]!.content).toContain('Ada prefers green tea');
  expect(prompts[0]![1]!.content).toBe('What should I serve Ada?');
  // The answer is remembered as the assistant's turn of the conversation.
  await expect(page.locator('#chat-turns li.assistant')).toContainText('Green tea (tiny-chat).');
  await page.screenshot({ path: 'reports/app-screens/desktop-chat-with-llm.png' });
});
