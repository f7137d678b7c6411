import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cosine, quantize, SentenceVectors } from '../../../src/search/semantic/vectors.js';

const vector = (...values: number[]): Float32Array => Float32Array.from(values);

describe('SentenceVectors', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vectors-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a vector by its sentence’s text', () => {
    const store = new SentenceVectors(3);
    store.set('One sentence.', vector(1, 2, 3));
    // Kept as its direction in 8 bits: the largest component scaled to 127.
    expect([...(store.get('One sentence.') ?? [])]).toEqual([42, 85, 127]);
    expect(store.get('Another sentence.')).toBeUndefined();
  });

  it('refuses a vector of the wrong size', () => {
    expect(() => new SentenceVectors(3).set('x', vector(1, 2))).toThrow(/2 dimensions, not 3/);
  });

  it('drops the oldest past its limit', () => {
    const store = new SentenceVectors(1, 2);
    store.set('a', vector(1));
    store.set('b', vector(2));
    store.set('c', vector(3));
    expect(store.size).toBe(2);
    expect(store.has('a')).toBe(false);
    expect(store.has('c')).toBe(true);
  });

  it('takes in vectors read late as older than the ones added meanwhile', () => {
    const saved = new SentenceVectors(1, 3);
    saved.set('a', vector(1));
    saved.set('b', vector(2));
    const store = new SentenceVectors(1, 3);
    store.set('c', vector(3));
    store.set('d', vector(4));
    store.absorb(saved);
    expect(store.size).toBe(3);
    // "a" was the oldest of the four and is the one dropped.
    expect(['a', 'b', 'c', 'd'].map((text) => store.has(text))).toEqual([false, true, true, true]);
  });

  it('saves and loads the same vectors', async () => {
    const file = path.join(dir, 'nested', 'vectors.bin');
    const store = new SentenceVectors(2);
    store.set('a', vector(0.5, -1));
    store.set('b', vector(2, 3));
    expect(await store.save(file)).toBe(true);
    // Nothing new since: no write.
    expect(await store.save(file)).toBe(false);
    const { vectors, ignored } = await SentenceVectors.load(file, 2);
    expect(ignored).toBeNull();
    expect(vectors.size).toBe(2);
    expect([...(vectors.get('a') ?? [])]).toEqual([64, -127]);
    expect([...(vectors.get('b') ?? [])]).toEqual([85, 127]);
  });

  it('starts empty when there is no file, and says why it ignores a bad one', async () => {
    expect((await SentenceVectors.load(path.join(dir, 'none.bin'), 2)).ignored).toBeNull();
    const file = path.join(dir, 'vectors.bin');
    const store = new SentenceVectors(2);
    store.set('a', vector(1, 1));
    await store.save(file);
    expect((await SentenceVectors.load(file, 3)).ignored).toMatch(/another encoder or version/);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 1));
    const truncated = await SentenceVectors.load(file, 2);
    expect(truncated.ignored).toMatch(/truncated or damaged/);
    expect(truncated.vectors.size).toBe(0);
    await writeFile(file, 'not a vector file');
    expect((await SentenceVectors.load(file, 2)).ignored).toMatch(/not a sentence vector file/);
  });
});

describe('quantize', () => {
  it('keeps a vector’s direction in 8 bits, closely enough for a cosine', () => {
    const a = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 1.3));
    const b = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 1.3 + 0.4) * 0.01);
    expect(Math.max(...quantize(a).map(Math.abs))).toBe(127);
    expect(cosine(quantize(a), quantize(b))).toBeCloseTo(cosine(a, b), 3);
    expect(cosine(a, quantize(b))).toBeCloseTo(cosine(a, b), 3);
    expect([...quantize(vector(0, 0))]).toEqual([0, 0]);
  });
});

describe('cosine', () => {
  it('is 1 for the same direction, 0 for orthogonal or zero vectors', () => {
    expect(cosine(vector(1, 2), vector(2, 4))).toBeCloseTo(1);
    expect(cosine(vector(1, 0), vector(0, 1))).toBe(0);
    expect(cosine(vector(0, 0), vector(1, 1))).toBe(0);
  });
});
