import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortInSlices, Turns } from '../src/slices.js';

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

describe('Turns', () => {
  it('with no budget left, lets the event loop turn at every check', async () => {
    const turns = new Turns(0);
    let ticks = 0;
    let ticking = true;
    const tick = (): void => {
      ticks += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    for (let i = 0; i < 20; i += 1) if (turns.spent()) await turns.next();
    ticking = false;
    expect(ticks).toBeGreaterThanOrEqual(19);
  });

  it('with a budget that cannot run out, never asks to yield', () => {
    const turns = new Turns(Number.POSITIVE_INFINITY);
    expect(Array.from({ length: 1000 }, () => turns.spent()).some(Boolean)).toBe(false);
  });
});
