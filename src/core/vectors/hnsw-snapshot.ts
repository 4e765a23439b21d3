// The HNSW snapshot format: a versioned binary image of the graph and its vectors, loaded without a rebuild.

import { MnemoError } from '../errors.js';
import { BinaryReader, BinaryWriter } from './binary.js';
import { HnswGraph } from './hnsw-graph.js';
import { HnswIndex } from './hnsw-index.js';
import { strideOf } from './vector-space.js';

const MAGIC = 0x57484e4d; // "MNHW" read as a little-endian u32
export const HNSW_SNAPSHOT_VERSION = 1;
const NO_ID = 0xffff;
/** Flag: the snapshot carries ids and vectors. Without it, they come from the persisted vector chunks. */
const WITH_DATA = 1;

/**
 * Layout (little-endian, sections padded to 4 bytes): magic, version, flags, dims, M, efConstruction, efSearch,
 * repairRatio (f32), random state, entry (i32), max level (i32), slots, free count; then levels (u8 x slots),
 * tombstones (u8 x slots), level-0 links (i32 x slots x (2M + 1)), upper links of each node with a level above 0
 * (i32 x level x (M + 1), in slot order), free slots (i32); with the data flag, ids (u32 unit count, then per
 * slot a u16 length or 0xFFFF for none, and its UTF-16 code units) and vectors (f32 x slots x stride).
 */
export function encodeHnswSnapshot(index: HnswIndex, options: { withData?: boolean } = {}): Uint8Array {
  const withData = options.withData ?? true;
  const s = index.state({ withVectors: withData });
  const w = new BinaryWriter()
    .u32(MAGIC)
    .u32(HNSW_SNAPSHOT_VERSION)
    .u32(withData ? WITH_DATA : 0)
    .u32(s.dims)
    .u32(s.M)
    .u32(s.efConstruction)
    .u32(s.efSearch)
    .f32(s.repairRatio)
    .u32(s.randomState)
    .i32(s.entry)
    .i32(s.maxLevel)
    .u32(s.slots)
    .u32(s.freeSlots.length)
    .bytes(s.graph.levelOf.subarray(0, s.slots))
    .bytes(s.deleted.subarray(0, s.slots))
    .typed(s.graph.links0.subarray(0, s.slots * (2 * s.M + 1)));
  for (let slot = 0; slot < s.slots; slot++) {
    const upper = s.graph.upper[slot];
    if (s.graph.levelOf[slot]! > 0 && upper) w.typed(upper);
  }
  w.typed(Int32Array.from(s.freeSlots));
  if (!withData || !s.vectors) return w.finish();
  const units: number[] = [];
  for (let slot = 0; slot < s.slots; slot++) {
    const id = s.idOfSlot[slot];
    if (id === undefined) units.push(NO_ID);
    else {
      units.push(id.length);
      for (let i = 0; i < id.length; i++) units.push(id.charCodeAt(i));
    }
  }
  w.u32(units.length).typed(Uint16Array.from(units));
  return w.bytes(s.vectors).finish();
}

/**
 * Restores an index. A snapshot without data needs `ids` (slot -> id, from the vector chunks), and the caller
 * then writes the slots' vectors with `loadVectors`.
 */
export function decodeHnswSnapshot(
  data: Uint8Array,
  options: { forceJs?: boolean; ids?: readonly (string | undefined)[] } = {},
): HnswIndex {
  const r = new BinaryReader(data, 'HNSW snapshot');
  if (r.u32() !== MAGIC) r.fail('not an HNSW snapshot');
  const version = r.u32();
  if (version !== HNSW_SNAPSHOT_VERSION) {
    throw new MnemoError('INDEX_CORRUPT', `HNSW snapshot version ${version}; this Mnemo reads version ${HNSW_SNAPSHOT_VERSION}`, {
      details: { version },
    });
  }
  const flags = r.u32();
  const dims = r.u32();
  const M = r.u32();
  const efConstruction = r.u32();
  const efSearch = r.u32();
  const repairRatio = r.f32();
  const randomState = r.u32();
  const entry = r.i32();
  const maxLevel = r.i32();
  const slots = r.u32();
  const freeCount = r.u32();
  if (dims < 1 || dims > 4096 || M < 2 || M > 256 || entry >= slots || freeCount > slots) r.fail('implausible header');

  const graph = new HnswGraph(M);
  graph.ensureCapacity(slots);
  graph.levelOf.set(r.bytes(slots));
  const deleted = r.bytes(slots);
  graph.links0.set(r.int32s(slots * (2 * M + 1)));
  for (let slot = 0; slot < slots; slot++) {
    const level = graph.levelOf[slot]!;
    if (level > maxLevel) r.fail(`slot ${slot} above the top level`);
    if (level > 0) graph.upper[slot] = r.int32s(level * (M + 1));
  }
  const freeSlots = Array.from(r.int32s(freeCount));
  let idOfSlot: (string | undefined)[] = [];
  let vectors: Uint8Array | undefined;
  if (flags & WITH_DATA) [idOfSlot, vectors] = readData(r, slots, dims);
  else if (options.ids && options.ids.length >= slots) idOfSlot = options.ids.slice(0, slots);
  else r.fail(`holds no ids, and ${options.ids?.length ?? 0} of ${slots} were given`);
  r.end();
  return HnswIndex.fromState(
    {
      dims,
      M,
      efConstruction,
      efSearch,
      repairRatio,
      randomState,
      entry,
      maxLevel,
      slots,
      idOfSlot,
      deleted,
      freeSlots,
      graph,
      ...(vectors && { vectors }),
    },
    options,
  );
}

function readData(r: BinaryReader, slots: number, dims: number): [(string | undefined)[], Uint8Array] {
  const units = r.uint16s(r.u32());
  const idOfSlot: (string | undefined)[] = [];
  for (let at = 0, slot = 0; slot < slots; slot++) {
    const length = units[at++] ?? r.fail('ids truncated');
    if (length === NO_ID) idOfSlot.push(undefined);
    else {
      if (at + length > units.length) r.fail('ids truncated');
      idOfSlot.push(String.fromCharCode(...units.subarray(at, at + length)));
      at += length;
    }
  }
  return [idOfSlot, r.bytes(slots * strideOf(dims) * 4)];
}
