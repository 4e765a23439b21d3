// Archival memory: chunking, and documents stored, recalled and forgotten through the runtime's verbs over
// a real InMemoryStore.

import { describe, expect, it } from 'vitest';
import { InMemoryStore } from '../../adapters/memory-store.js';
import type { ArchiveInput } from '../api.js';
import { HashEmbedder } from '../embedding/hash-embedder.js';
import { MemoryRuntime, type RuntimeDeps } from '../runtime.js';
import { errorOf, ManualClock, sequentialIds } from '../test-support.js';
import { LIMITS } from '../validate.js';
import { CHUNK_WORDS, MAX_DOCUMENT_LENGTH, chunkText } from './archive.js';

const T0 = Date.UTC(2026, 0, 1);
const VOCABULARY = ['river', 'stone', 'cloud', 'maple', 'harbor', 'lantern', 'meadow', 'copper', 'violet', 'thunder'];

/** `n` filler words drawn in turn from a small vocabulary every chunk shares. */
function filler(n: number): string {
  return Array.from({ length: n }, (_, i) => VOCABULARY[i % VOCABULARY.length]).join(' ');
}

/** A sentence of exactly `n` words, the first of them `first`, ending with a full stop. */
function sentence(n: number, first = 'Then'): string {
  return `${first} ${filler(n - 1)}.`;
}

function wordCount(text: string): number {
  return text.split(' ').length;
}

async function open(extra: Partial<RuntimeDeps> = {}) {
  const store = new InMemoryStore();
  const memory = await MemoryRuntime.open({
    namespace: 'test',
    store,
    clock: new ManualClock(T0),
    newId: sequentialIds(),
    ...extra,
  });
  return { memory, store };
}

/** Three paragraphs of 150 words each: too long to share a chunk, so one chunk each. */
function threeParagraphs(words: [string, string, string] = ['Alpha', 'Bravo', 'Charlie']): string {
  return words.map((w) => sentence(150, w)).join('\n\n');
}

describe('chunkText', () => {
  it('keeps a short text whole, its whitespace collapsed', () => {
    expect(chunkText('  Ada   likes\ttea.\nShe drinks it\r\ndaily!  ')).toEqual(['Ada likes tea. She drinks it daily!']);
  });

  it('packs paragraphs together while they fit', () => {
    expect(chunkText('First paragraph here.\n\nSecond one.\n  \n\nThird?')).toEqual(['First paragraph here. Second one. Third?']);
  });

  it('gives nothing for empty or whitespace-only text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText('   ')).toEqual([]);
    expect(chunkText(' \n\n\t \r\n ')).toEqual([]);
  });

  it('starts a new chunk at a paragraph boundary when the next paragraph does not fit', () => {
    const chunks = chunkText(threeParagraphs());
    expect(chunks).toEqual([sentence(150, 'Alpha'), sentence(150, 'Bravo'), sentence(150, 'Charlie')]);
  });

  it('splits a long paragraph at sentence boundaries, never over CHUNK_WORDS words', () => {
    expect(CHUNK_WORDS).toBe(200);
    // Ten sentences of 50 words in one paragraph: four fit in a chunk (200 words), a fifth would not.
    const sentences = Array.from({ length: 10 }, (_, i) => sentence(50, `S${i}`));
    const chunks = chunkText(sentences.join(' '));
    expect(chunks).toEqual([sentences.slice(0, 4).join(' '), sentences.slice(4, 8).join(' '), sentences.slice(8).join(' ')]);
    expect(chunks.map(wordCount)).toEqual([200, 200, 100]);
  });

  it('splits after question and exclamation marks too', () => {
    const question = `${filler(119)} why?`;
    const exclamation = `${filler(119)} now!`;
    expect(chunkText(`${question} ${exclamation}`)).toEqual([question, exclamation]);
  });

  it('cuts an overlong sentence into pieces of CHUNK_WORDS words', () => {
    const words = Array.from({ length: 450 }, (_, i) => `w${i}`);
    const chunks = chunkText(`Short one. ${words.join(' ')}`);
    expect(chunks).toEqual([
      'Short one.',
      words.slice(0, 200).join(' '),
      words.slice(200, 400).join(' '),
      words.slice(400).join(' '),
    ]);
  });

  it('lets the tail of a cut sentence share its chunk with the next sentence', () => {
    const words = Array.from({ length: 250 }, (_, i) => `w${i}`);
    const chunks = chunkText(`${words.join(' ')}. Next sentence.`);
    expect(chunks).toEqual([words.slice(0, 200).join(' '), `${words.slice(200).join(' ')}. Next sentence.`]);
  });

  it('cuts a word too long for a record into pieces, keeping surrogate pairs whole', () => {
    expect(chunkText('x'.repeat(1000))).toEqual([`${'x'.repeat(499)} ${'x'.repeat(499)} xx`]);
    // An emoji is two code units; a cut at 499 would fall inside one, so the piece stops at 498.
    const faces = '\uD83D\uDE00'.repeat(300);
    expect(chunkText(faces)).toEqual([`${faces.slice(0, 498)} ${faces.slice(498)}`]);
    // Words up to 499 characters are left whole.
    expect(chunkText(`${'y'.repeat(499)} z`)).toEqual([`${'y'.repeat(499)} z`]);
  });

  it('loses no word and keeps every chunk within CHUNK_WORDS on a mixed document', () => {
    const paragraphs: string[] = [];
    for (let p = 0; p < 12; p++) {
      const sentences = Array.from({ length: 1 + (p % 4) }, (_, s) => sentence(7 + ((p * 37 + s * 53) % 160), `P${p}s${s}`));
      paragraphs.push(sentences.join('  '));
    }
    paragraphs.push(Array.from({ length: 333 }, (_, i) => `long${i}`).join(' '));
    const text = paragraphs.join('\n\n');
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(wordCount(chunk)).toBeLessThanOrEqual(CHUNK_WORDS);
      expect(chunk).toBe(chunk.trim());
    }
    expect(chunks.join(' ')).toBe(text.replace(/\s+/g, ' ').trim());
  });
});

describe('archiveAdd', () => {
  it('returns the document id and its chunk ids', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({ text: threeParagraphs(), title: 'Field notes', source: 'notes.md' });
    expect(doc).toEqual({
      documentId: 'id000001',
      title: 'Field notes',
      source: 'notes.md',
      chunkIds: ['id000001', 'id000002', 'id000003'],
    });
  });

  it('leaves source out of the result when none is given', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({ text: 'A short note.', title: 'Note' });
    expect(doc).toEqual({ documentId: 'id000001', title: 'Note', chunkIds: ['id000001'] });
  });

  it('stores each chunk as an archival record that knows its document', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({
      text: threeParagraphs(),
      title: 'Field notes',
      source: 'notes.md',
      tags: ['travel'],
    });
    const chunks = await Promise.all(doc.chunkIds.map((id) => memory.get(id)));
    expect(chunks.map((c) => c?.text)).toEqual([sentence(150, 'Alpha'), sentence(150, 'Bravo'), sentence(150, 'Charlie')]);
    chunks.forEach((chunk, i) => {
      expect(chunk).toMatchObject({
        tier: 'archival',
        namespace: 'test',
        createdAt: T0,
        tags: ['travel'],
        source: { kind: 'user' },
        meta: { documentId: 'id000001', title: 'Field notes', source: 'notes.md', chunk: i, chunks: 3 },
      });
    });
    expect((await memory.stats()).byTier.archival).toBe(3);
  });

  it('stores no source in the chunks when none is given', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({ text: 'A short note.', title: 'Note' });
    expect((await memory.get(doc.documentId))?.meta).toEqual({ documentId: 'id000001', title: 'Note', chunk: 0, chunks: 1 });
  });

  it('embeds every chunk when the memory has an embedder', async () => {
    const { memory } = await open({ embedder: new HashEmbedder() });
    await memory.archiveAdd({ text: threeParagraphs(), title: 'Field notes' });
    expect((await memory.stats()).vectors?.count).toBe(3);
  });

  it('refuses empty text with TEXT_EMPTY', async () => {
    const { memory, store } = await open();
    for (const text of ['', '   ', '\n\n\t\n']) {
      const error = await errorOf(memory.archiveAdd({ text, title: 'Empty' }));
      expect(error.code, JSON.stringify(text)).toBe('TEXT_EMPTY');
      expect(error.details).toEqual({ field: 'document.text' });
    }
    expect(await store.count()).toBe(0);
  });

  it('refuses text over 10,000,000 characters with TEXT_TOO_LONG', async () => {
    const { memory, store } = await open();
    expect(MAX_DOCUMENT_LENGTH).toBe(10_000_000);
    const text = 'a '.repeat(5_000_000) + 'b';
    expect(text.length).toBe(10_000_001);
    const error = await errorOf(memory.archiveAdd({ text, title: 'Huge' }));
    expect(error.code).toBe('TEXT_TOO_LONG');
    expect(error.details).toEqual({ field: 'document.text', length: 10_000_001, limit: 10_000_000 });
    expect(await store.count()).toBe(0);
  });

  it('archives a document far longer than one record may be', async () => {
    const { memory } = await open();
    // 300 paragraphs of 150 words: about 270,000 characters, well over a record's 100,000.
    const text = Array.from({ length: 300 }, (_, i) => sentence(150, `P${i}`)).join('\n\n');
    expect(text.length).toBeGreaterThan(LIMITS.maxTextLength);
    const doc = await memory.archiveAdd({ text, title: 'Long' });
    expect(doc.chunkIds).toHaveLength(300);
    expect((await memory.get(doc.chunkIds[299]!))?.text.startsWith('P299 ')).toBe(true);
  });

  it('archives a document holding a word longer than a record may be, cutting it', async () => {
    const { memory } = await open();
    // A blob without spaces (say base64 data) makes one "word" of 150,000 characters.
    const blob = 'QUJD'.repeat(37_500);
    const doc = await memory.archiveAdd({ text: `Attached data follows. ${blob} End of data.`, title: 'Blob' });
    const chunks = await Promise.all(doc.chunkIds.map((id) => memory.get(id)));
    for (const chunk of chunks) expect(chunk!.text.length).toBeLessThanOrEqual(LIMITS.maxTextLength);
    expect(chunks.map((c) => c!.text.replace(/ /g, '')).join('')).toBe(`Attacheddatafollows.${blob}Endofdata.`);
  });

  it('does not split a surrogate pair when cutting an overlong word', async () => {
    const { memory } = await open();
    const emoji = '\uD83D\uDE00'.repeat(60_000);
    const doc = await memory.archiveAdd({ text: emoji, title: 'Faces' });
    const chunks = await Promise.all(doc.chunkIds.map((id) => memory.get(id)));
    expect(chunks.map((c) => c!.text.replace(/ /g, '')).join('')).toBe(emoji);
  });

  it('refuses a missing or malformed title, bad fields and unknown options with nothing stored', async () => {
    const { memory, store } = await open();
    const cases: [unknown, string, string][] = [
      [{ text: 'Some text.' }, 'INVALID_ARGUMENT', 'document.title'],
      [{ text: 'Some text.', title: '' }, 'INVALID_ARGUMENT', 'document.title'],
      [{ text: 'Some text.', title: 42 }, 'INVALID_ARGUMENT', 'document.title'],
      [{ text: 'Some text.', title: 't'.repeat(257) }, 'INVALID_ARGUMENT', 'document.title'],
      [{ title: 'No text' }, 'INVALID_ARGUMENT', 'document.text'],
      [{ text: 7, title: 'Number' }, 'INVALID_ARGUMENT', 'document.text'],
      [{ text: 'Some text.', title: 'T', source: '' }, 'INVALID_ARGUMENT', 'document.source'],
      [{ text: 'Some text.', title: 'T', tags: 'x' }, 'INVALID_ARGUMENT', 'document.tags'],
      [{ text: 'Some text.', title: 'T', author: 'Ada' }, 'UNKNOWN_OPTION', 'document'],
      [{ text: 'Bad \uD83D text.', title: 'T' }, 'TEXT_MALFORMED', 'document.text (chunk 0)'],
    ];
    for (const [input, code, field] of cases) {
      const error = await errorOf(memory.archiveAdd(input as ArchiveInput));
      expect(error.code, JSON.stringify(input)).toBe(code);
      expect(error.details['field'], JSON.stringify(input)).toBe(field);
    }
    expect(await store.count()).toBe(0);
  });

  it('does nothing when aborted before the write', async () => {
    const { memory, store } = await open();
    const controller = new AbortController();
    controller.abort();
    const error = await errorOf(memory.archiveAdd({ text: 'A note.', title: 'Note' }, { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
    expect(await store.count()).toBe(0);
  });
});

describe('recall of archived documents', () => {
  it('returns the chunk holding the word, with its document', async () => {
    const { memory } = await open();
    const text = [sentence(150, 'Alpha'), sentence(150, 'Bravo'), `${filler(100)} zeppelin ${filler(49)}.`].join('\n\n');
    const doc = await memory.archiveAdd({ text, title: 'Airships', source: 'https://example.org/airships' });
    const hits = await memory.recall('zeppelin');
    expect(hits[0]?.record.id).toBe(doc.chunkIds[2]);
    expect(hits[0]?.record.meta['chunk']).toBe(2);
    expect(hits[0]?.document).toEqual({ id: doc.documentId, title: 'Airships', source: 'https://example.org/airships' });
    // The other chunks match only through their neighbour's context, nearer ones higher.
    expect(hits.map((h) => h.record.id)).toEqual([doc.chunkIds[2], doc.chunkIds[1], doc.chunkIds[0]]);
    expect(hits[0]!.scores.lexical).toBeGreaterThan(hits[1]!.scores.lexical);
    expect(hits[1]!.scores.lexical).toBeGreaterThan(hits[2]!.scores.lexical);
    for (const hit of hits) expect(hit.document?.id).toBe(doc.documentId);
  });

  it('gives a document without a source no source in the hit', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({ text: 'The zeppelin landed at noon.', title: 'Log' });
    const hits = await memory.recall('zeppelin');
    expect(hits.map((h) => h.document)).toEqual([{ id: doc.documentId, title: 'Log' }]);
  });

  it('attaches no document to hits of other tiers', async () => {
    const { memory } = await open();
    await memory.remember({ text: 'We saw a zeppelin' });
    const hits = await memory.recall('zeppelin');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.document).toBeUndefined();
  });

  it('lets neighbouring chunks lend each other context', async () => {
    const { memory } = await open();
    const chunk = (word: string, first: string) => `${first} ${filler(80)} ${word} ${filler(68)}.`;
    const text = [
      sentence(150, 'Alpha'),
      chunk('quasar', 'Bravo'),
      chunk('nebula', 'Charlie'),
      sentence(150, 'Delta'),
      sentence(150, 'Echo'),
    ].join('\n\n');
    const doc = await memory.archiveAdd({ text, title: 'Sky' });
    // Another document names one of the words, as much as chunk 2 or 3 of the first does.
    const other = await memory.archiveAdd({ text: chunk('quasar', 'Foxtrot'), title: 'Other' });
    expect(doc.chunkIds).toHaveLength(5);
    const hits = await memory.recall('quasar nebula', { k: 10 });
    const order = hits.map((h) => h.record.id);
    expect(order.slice(0, 2).sort()).toEqual([doc.chunkIds[1], doc.chunkIds[2]].sort());
    expect(order.indexOf(other.documentId)).toBeGreaterThan(1);
    // Each of the two chunks matches both words: its own, and its neighbour's at half weight.
    const second = hits.find((h) => h.record.id === doc.chunkIds[1])!;
    const unrelated = hits.find((h) => h.record.id === other.documentId)!;
    expect(second.scores.lexical).toBeGreaterThan(unrelated.scores.lexical);
  });

  it('finds archived chunks with tiers ["archival"] and not with other tiers', async () => {
    const { memory } = await open();
    await memory.archiveAdd({ text: 'The zeppelin landed at noon.', title: 'Log' });
    expect((await memory.recall('zeppelin', { tiers: ['archival'] })).map((h) => h.record.tier)).toEqual(['archival']);
    expect(await memory.recall('zeppelin', { tiers: ['episodic', 'semantic'] })).toEqual([]);
  });

  it('forgets a document by its chunk ids, and recall no longer finds it', async () => {
    const { memory, store } = await open();
    const text = threeParagraphs(['Zeppelin', 'Bravo', 'Charlie']);
    const doc = await memory.archiveAdd({ text, title: 'Airships' });
    const keep = await memory.archiveAdd({ text: 'A zeppelin over Lisbon.', title: 'Keep' });
    expect((await memory.recall('zeppelin')).length).toBe(4);
    expect((await memory.forget(doc.chunkIds)).sort()).toEqual([...doc.chunkIds].sort());
    expect((await memory.recall('zeppelin')).map((h) => h.record.id)).toEqual([keep.documentId]);
    expect(await memory.recall('bravo charlie')).toEqual([]);
    for (const id of doc.chunkIds) expect(await memory.get(id)).toBeUndefined();
    expect(await store.count()).toBe(1);
    expect((await memory.stats()).byTier.archival).toBe(1);
  });

  it('forgetting one chunk leaves the others recallable', async () => {
    const { memory } = await open();
    const doc = await memory.archiveAdd({ text: threeParagraphs(['Zeppelin', 'Bravo', 'Charlie']), title: 'Airships' });
    expect(await memory.forget(doc.chunkIds[0]!)).toEqual([doc.chunkIds[0]]);
    // Chunk 1 lent chunks 2 and 3 its word; with it gone, they no longer match it.
    expect(await memory.recall('zeppelin')).toEqual([]);
    expect((await memory.recall('charlie')).map((h) => h.record.id)[0]).toBe(doc.chunkIds[2]);
  });
});
