import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Comparisons per turn of the event loop: a few milliseconds of string or collator compares. */
const COMPARES_PER_TURN = 20_000;

/**
 * `items` sorted by `compare` (stable, as `Array.prototype.sort`), a slice per turn of the event
 * loop: sorting 60,000 strings at once holds the loop for ~50 ms, too long for a bot answering
 * while it reloads. Runs of up to {@link COMPARES_PER_TURN}/16 items are sorted in place, then
 * merged pairwise, yielding whenever a turn's comparisons are spent.
 */
export async function sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number): Promise<T[]> {
  const run = Math.max(2, Math.floor(COMPARES_PER_TURN / 16));
  let from = items.slice();
  let spent = 0;
  const spend = async (compares: number): Promise<void> => {
    spent += compares;
    if (spent >= COMPARES_PER_TURN) {
      spent = 0;
      await yieldToLoop();
    }
  };
  for (let start = 0; start < from.length; start += run) {
    const sorted = from.slice(start, start + run).sort(compare);
    for (let i = 0; i < sorted.length; i += 1) from[start + i] = sorted[i] as T;
    await spend(sorted.length * Math.ceil(Math.log2(sorted.length + 1)));
  }
  let to = new Array<T>(from.length);
  for (let width = run; width < from.length; width *= 2) {
    for (let left = 0; left < from.length; left += 2 * width) {
      const middle = Math.min(left + width, from.length);
      const end = Math.min(left + 2 * width, from.length);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < end) {
        // Ties keep the left run first, which keeps the sort stable.
        to[k++] = compare(from[j] as T, from[i] as T) < 0 ? (from[j++] as T) : (from[i++] as T);
        if ((k & 1023) === 0) await spend(1024);
      }
      while (i < middle) to[k++] = from[i++] as T;
      while (j < end) to[k++] = from[j++] as T;
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * Milliseconds of work a long job does per turn of the event loop. An interaction's reply crosses a
 * few turns (the gateway message, the handler, the REST call), each of which may wait behind one
 * slice, so a slice stays well under the 100 ms a reload may delay a reply (issue 10, item 5).
 */
export const TURN_BUDGET_MS = 4;

/**
 * A long job's turns of the event loop, by time rather than by count of items, since what an item
 * costs varies with the corpus: check {@link spent} between items, and {@link next} yields once
 * it is.
 */
export class Turns {
  private started = performance.now();

  constructor(private readonly budgetMs = TURN_BUDGET_MS) {}

  /** Whether this turn's budget is used up. */
  spent(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Lets the event loop turn, and starts a new budget. */
  async next(): Promise<void> {
    await yieldToLoop();
    this.started = performance.now();
  }
}
