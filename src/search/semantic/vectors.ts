import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { Turns } from '../../slices.js';

/**
 * Which encoder made the vectors, and of what text (a sentence after its article's title, see
 * `encoderText`): a file made otherwise is not read. Bump with either.
 */
export const MODEL_ID = 'use-lite-512@energetic-ai-0.2.0+title';

/** Version of the file layout: 2 stores each vector as 8-bit integers. */
const MAGIC = 'sentence-vectors-2';
const DIGEST_BYTES = 20;

/** The key a sentence's vector is kept under: a digest of its text, so an edit elsewhere keeps it. */
export function sentenceKey(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** A sentence vector as kept: its direction in 8-bit integers (only the direction matters to a cosine). */
export type StoredVector = Int8Array;

/**
 * A vector scaled so its largest component is ±127 and rounded: a quarter of the memory and disk of
 * 32-bit floats. On SQuAD dev and train and the project's sets it gave the same figures to the third
 * decimal as the floats (docs/DESIGN.md).
 */
export function quantize(vector: Float32Array): StoredVector {
  let largest = 0;
  for (const value of vector) largest = Math.max(largest, Math.abs(value));
  const scale = largest === 0 ? 0 : 127 / largest;
  return Int8Array.from(vector, (value) => Math.round(value * scale));
}

/**
 * Sentence vectors by the text the encoder read, each computed once: kept in memory (the oldest dropped past
 * `limit`) and saved beside the index cache, so a restart or reload embeds only new sentences.
 */
export class SentenceVectors {
  private readonly vectors = new Map<string, StoredVector>();
  private changed = false;

  constructor(
    readonly dimensions: number,
    readonly limit = 20_000,
  ) {}

  get size(): number {
    return this.vectors.size;
  }

  get(text: string): StoredVector | undefined {
    return this.vectors.get(sentenceKey(text));
  }

  has(text: string): boolean {
    return this.vectors.has(sentenceKey(text));
  }

  set(text: string, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new Error(`a sentence vector has ${vector.length} dimensions, not ${this.dimensions}`);
    const key = sentenceKey(text);
    if (this.vectors.has(key)) return;
    // A copy in any case: a vector may be a view of a larger transferred batch, which it would keep alive.
    this.vectors.set(key, quantize(vector));
    this.changed = true;
    if (this.vectors.size > this.limit) {
      const oldest = this.vectors.keys().next();
      if (!oldest.done) this.vectors.delete(oldest.value);
    }
  }

  /**
   * Takes in vectors loaded from a file while this store was already in use: they count as older than
   * the ones added meanwhile (dropped first past the limit), and as saved.
   */
  absorb(saved: SentenceVectors): void {
    const added = [...this.vectors];
    this.vectors.clear();
    for (const [key, vector] of saved.vectors) this.vectors.set(key, vector);
    for (const [key, vector] of added) {
      this.vectors.delete(key);
      this.vectors.set(key, vector);
    }
    while (this.vectors.size > this.limit) {
      const oldest = this.vectors.keys().next();
      if (oldest.done) break;
      this.vectors.delete(oldest.value);
    }
  }

  /**
   * Writes the vectors to `file` (atomically) when any were added since the last save or load. The
   * file is put together a slice at a time (20,000 vectors at once held the event loop for ~50 ms,
   * and it is saved every 30 s while sentences are being embedded), from a snapshot taken first.
   */
  async save(file: string): Promise<boolean> {
    if (!this.changed) return false;
    this.changed = false;
    const entries = [...this.vectors];
    const count = entries.length;
    const header = Buffer.from(`${JSON.stringify({ magic: MAGIC, model: MODEL_ID, dimensions: this.dimensions, count })}\n`);
    const keys = Buffer.alloc(count * DIGEST_BYTES);
    const values = new Int8Array(count * this.dimensions);
    const turns = new Turns();
    for (let i = 0; i < count; i += 1) {
      const [key, vector] = entries[i] as [string, StoredVector];
      keys.write(key, i * DIGEST_BYTES, 'base64');
      values.set(vector, i * this.dimensions);
      if (turns.spent()) await turns.next();
    }
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writev([header, keys, Buffer.from(values.buffer)]);
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    return true;
  }

  /**
   * Reads vectors saved by {@link save}. A missing file is an empty store; a file of another model,
   * size or layout, or a damaged one, is ignored (returned as the reason) and rebuilt later.
   */
  static async load(file: string, dimensions: number, limit?: number): Promise<{ vectors: SentenceVectors; ignored: string | null }> {
    const vectors = new SentenceVectors(dimensions, limit);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return { vectors, ignored: missing ? null : `could not read ${file}: ${String(err)}` };
    }
    const newline = bytes.indexOf(10);
    let header: { magic?: unknown; model?: unknown; dimensions?: unknown; count?: unknown };
    try {
      header = JSON.parse(bytes.subarray(0, Math.max(0, newline)).toString('utf8')) as typeof header;
    } catch {
      return { vectors, ignored: `${file} is not a sentence vector file` };
    }
    const count = typeof header.count === 'number' && Number.isInteger(header.count) && header.count >= 0 ? header.count : -1;
    if (header.magic !== MAGIC || header.model !== MODEL_ID || header.dimensions !== dimensions)
      return { vectors, ignored: `${file} was made by another encoder or version` };
    const start = newline + 1;
    const valuesAt = start + count * DIGEST_BYTES;
    if (count < 0 || bytes.length !== valuesAt + count * dimensions) return { vectors, ignored: `${file} is truncated or damaged` };
    // One copy of the vectors, which each vector views: the file's other bytes are not kept.
    const first = Math.max(0, count - vectors.limit);
    const kept = new Int8Array(bytes.buffer.slice(bytes.byteOffset + valuesAt + first * dimensions, bytes.byteOffset + bytes.length));
    const turns = new Turns();
    for (let i = first; i < count; i += 1) {
      const key = bytes.toString('base64', start + i * DIGEST_BYTES, start + (i + 1) * DIGEST_BYTES);
      vectors.vectors.set(key, kept.subarray((i - first) * dimensions, (i - first + 1) * dimensions));
      if (turns.spent()) await turns.next();
    }
    return { vectors, ignored: null };
  }
}

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosine(a: Float32Array | StoredVector, b: Float32Array | StoredVector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
