// Archival memory: documents the user stores, split into chunks of about CHUNK_WORDS words at paragraph and
// sentence boundaries, each chunk a record that knows its document, so a hit returns the chunk with it.

import type { AbortSignalLike } from '../abort.js';
import type { ArchiveInput, ArchivedDocument } from '../api.js';
import type { MemoryEngine } from '../engine.js';
import { MnemoError } from '../errors.js';
import { LIMITS, checkLabel, checkLabels, checkOptions, checkText, checkTrust, invalid } from '../validate.js';
import { newRecord } from './new-record.js';

export const CHUNK_WORDS = 200;
/** Characters in one archived document. */
export const MAX_DOCUMENT_LENGTH = 10_000_000;
const ARCHIVE_KEYS = ['text', 'title', 'source', 'tags', 'trust'];
/** Characters in one word of a chunk: CHUNK_WORDS such words and their spaces fit a record's text. */
const MAX_WORD_CHARS = Math.floor((LIMITS.maxTextLength + 1) / CHUNK_WORDS) - 1;

export async function archiveDocument(
  engine: MemoryEngine,
  input: ArchiveInput,
  signal?: AbortSignalLike,
): Promise<ArchivedDocument> {
  const opts = checkOptions(input, ARCHIVE_KEYS, 'document');
  const text = opts['text'];
  if (typeof text !== 'string') throw invalid('document.text', 'must be a string');
  if (text.length > MAX_DOCUMENT_LENGTH) {
    throw new MnemoError('TEXT_TOO_LONG', `document.text: ${text.length} characters, the limit is ${MAX_DOCUMENT_LENGTH}`, {
      details: { field: 'document.text', length: text.length, limit: MAX_DOCUMENT_LENGTH },
    });
  }
  const title = checkLabel(opts['title'], 'document.title');
  const source = opts['source'] === undefined ? undefined : checkLabel(opts['source'], 'document.source');
  const tags = opts['tags'] === undefined ? [] : checkLabels(opts['tags'], 'document.tags', LIMITS.maxTags);
  const trust = opts['trust'] === undefined ? 'high' : checkTrust(opts['trust'], 'document.trust');
  const chunks = chunkText(text).map((chunk, i) => checkText(chunk, `document.text (chunk ${i})`));
  if (chunks.length === 0)
    throw new MnemoError('TEXT_EMPTY', 'document.text: must not be empty', { details: { field: 'document.text' } });
  if (chunks.length > LIMITS.maxBatchSize)
    throw invalid('document.text', `splits into ${chunks.length} chunks, the limit is ${LIMITS.maxBatchSize}`);

  const now = engine.now();
  const documentId = engine.newId();
  const records = chunks.map((chunk, i) =>
    newRecord(
      { id: i === 0 ? documentId : engine.newId(), namespace: engine.namespace, now },
      {
        tier: 'archival',
        text: chunk,
        tags,
        source: { kind: 'user' },
        trust,
        meta: { documentId, title, ...(source !== undefined && { source }), chunk: i, chunks: chunks.length },
      },
    ),
  );
  await engine.write(records, { signal });
  const document: ArchivedDocument = { documentId, title, chunkIds: records.map((r) => r.id) };
  if (source !== undefined) document.source = source;
  return document;
}

/**
 * Paragraphs, then sentences, packed into chunks of at most CHUNK_WORDS words; an overlong sentence is cut,
 * and so is an overlong word (a blob without spaces), so that no chunk is longer than a record may be.
 */
export function chunkText(text: string): string[] {
  const sentences = text
    .split(/\n\s*\n/)
    .flatMap((paragraph) =>
      paragraph
        .replace(/\s+/g, ' ')
        .trim()
        .split(/(?<=[.!?])\s+(?=\S)/),
    )
    .filter((s) => s.length > 0);
  const chunks: string[] = [];
  let current: string[] = [];
  let words = 0;
  const flush = () => {
    if (current.length > 0) chunks.push(current.join(' '));
    current = [];
    words = 0;
  };
  for (const sentence of sentences) {
    const split = sentence.split(' ');
    const parts = split.some((word) => word.length > MAX_WORD_CHARS) ? split.flatMap(cutWord) : split;
    for (let start = 0; start < parts.length; start += CHUNK_WORDS) {
      const piece = parts.slice(start, start + CHUNK_WORDS);
      if (words + piece.length > CHUNK_WORDS) flush();
      current.push(piece.join(' '));
      words += piece.length;
    }
  }
  flush();
  return chunks;
}

/** A word cut into pieces of at most MAX_WORD_CHARS characters, each surrogate pair kept whole. */
function cutWord(word: string): string[] {
  if (word.length <= MAX_WORD_CHARS) return [word];
  const pieces: string[] = [];
  for (let start = 0; start < word.length;) {
    let end = Math.min(start + MAX_WORD_CHARS, word.length);
    const last = word.charCodeAt(end - 1);
    if (end < word.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(word.slice(start, end));
    start = end;
  }
  return pieces;
}
