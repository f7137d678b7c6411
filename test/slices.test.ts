import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortInSlices } from '../src/slices.js';

describe('sortInSlices', () => {
  it('gives what Array.prototype.sort gives, ties in their first order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: fc.integer({ min: 0, max: 20 }), at: fc.nat() }), { maxLength: 5000 }), async (items) => {
        const compare = (a: { key: number }, b: { key: number }): number => a.key - b.key;
        expect(await sortInSlices(items, compare)).toEqual([...items].sort(compare));
      }),
      { numRuns: 60 },
    );
  });

  it('leaves its input as it was', async () => {
    const items = [3, 1, 2];
    await sortInSlices(items, (a, b) => a - b);
    expect(items).toEqual([3, 1, 2]);
  });

  it('lets timers run while it sorts a long list', async () => {
    const items = Array.from({ length: 200_000 }, (_, i) => `word${(i * 7919) % 200_000}`);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const sorted = await sortInSlices(items, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    clearInterval(timer);
    expect(sorted).toEqual([...items].sort());
    expect(ticks).toBeGreaterThan(0);
  });
});
