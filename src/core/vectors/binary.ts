// Little-endian binary writing and reading with 4-byte aligned sections, for index snapshots.

import { MnemoError } from '../errors.js';

export class BinaryWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  u32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    return this.bytes(bytes);
  }

  i32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value, true);
    return this.bytes(bytes);
  }

  f32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.bytes(bytes);
  }

  /** Raw bytes, then padding to a multiple of 4 so the next typed section is aligned. */
  bytes(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.byteLength;
    const pad = (4 - (this.length % 4)) % 4;
    if (pad) {
      this.parts.push(new Uint8Array(pad));
      this.length += pad;
    }
    return this;
  }

  typed(array: Int32Array | Float32Array | Uint16Array): this {
    return this.bytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }
}

export class BinaryReader {
  private at = 0;
  private readonly view: DataView;

  constructor(
    private readonly data: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }

  i32(): number {
    this.need(4);
    const value = this.view.getInt32(this.at, true);
    this.at += 4;
    return value;
  }

  f32(): number {
    this.need(4);
    const value = this.view.getFloat32(this.at, true);
    this.at += 4;
    return value;
  }

  /** A copy of the next `length` bytes, skipping the padding after them. */
  bytes(length: number): Uint8Array {
    this.need(length);
    const out = this.data.slice(this.at, this.at + length);
    this.at += length + ((4 - (length % 4)) % 4);
    return out;
  }

  int32s(count: number): Int32Array {
    return new Int32Array(this.bytes(count * 4).buffer);
  }

  uint16s(count: number): Uint16Array {
    return new Uint16Array(this.bytes(count * 2).buffer);
  }

  end(): void {
    if (this.at !== this.data.byteLength) this.fail(`${this.data.byteLength - this.at} bytes left over`);
  }

  fail(message: string): never {
    throw new MnemoError('INDEX_CORRUPT', `${this.what}: ${message}`, { details: { at: this.at } });
  }

  private need(length: number): void {
    if (length < 0 || this.at + length > this.data.byteLength) this.fail(`truncated at byte ${this.at} (needs ${length} more)`);
  }
}
