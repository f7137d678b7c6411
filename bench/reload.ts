import { appendFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { openLibraryCached, openLibraryOffThread } from '../src/library.js';
import { LiveLibrary } from '../src/reload.js';

/**
 * A live reload while the bot answers: `node --import tsx bench/reload.ts CORPUS_DIR CACHE_DIR OUT.json`.
 * Opens the corpus as start-up does and keeps it in a LiveLibrary, as the bot keeps answering from
 * it; edits one article (so the reload must parse and index again), reloads as the running bot does
 * (src/cli/main.ts: LiveLibrary.reload with openLibraryOffThread), which swaps the new library in,
 * and records the longest the event loop waited from the start of the reload to
 * {@link AFTER_SWAP_MS} after the swap, which is how late an answer or a gateway heartbeat could be:
 * the old library becomes garbage at the swap, and collecting it is part of what a reload costs.
 * Then reloads the unchanged corpus again (from the cache the first reload wrote), the same way.
 */

/** How long after the swap stalls still count: the collector frees the old library in that time. */
const AFTER_SWAP_MS = 3000;

/** What a reload measures; times in milliseconds (`changedMs` and `cachedMs` end at the swap). */
export interface ReloadResult {
  readonly changedMs: number;
  readonly changedMaxStallMs: number;
  readonly cachedMs: number;
  readonly cachedMaxStallMs: number;
}

/** Runs `work` and returns what it returned and the event loop's longest stall meanwhile. */
async function stallDuring<T>(work: () => Promise<T>): Promise<{ result: T; maxStallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  // A probe as a user's interaction would feel it: the longest gap between ticks meant 5 ms apart.
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 5);
    last = now;
  }, 5);
  delay.enable();
  const result = await work();
  delay.disable();
  clearInterval(probe);
  return { result, maxStallMs: Math.max(longest, delay.max / 1e6 - 5) };
}

async function main(corpusDir: string, cacheDir: string, out: string): Promise<void> {
  // Held only through `live`, as the bot holds its library only in LiveLibrary: each swap frees the last.
  const live = new LiveLibrary((await openLibraryCached(corpusDir, cacheDir)).library, {
    corpusDir,
    open: async (dir) => (await openLibraryOffThread(dir, cacheDir)).library,
    // A failed reload says why on stderr; the check after each reload stops the run.
    logger: pino({ level: 'error' }, pino.destination(2)),
  });
  const name = (await readdir(corpusDir)).filter((file) => file.endsWith('.md')).sort()[0] ?? '';
  await appendFile(path.join(corpusDir, name), '\n\nA paragraph added while the bot runs, so the reload must index again.\n');
  const reload = async (): Promise<number> => {
    const started = performance.now();
    const before = live.current();
    await live.reload();
    if (live.current() === before) throw new Error('the reload failed: the old library is still serving');
    const ms = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, AFTER_SWAP_MS));
    return ms;
  };
  const changed = await stallDuring(reload);
  const cached = await stallDuring(reload);
  const result: ReloadResult = {
    changedMs: Math.round(changed.result),
    changedMaxStallMs: Math.round(changed.maxStallMs),
    cachedMs: Math.round(cached.result),
    cachedMaxStallMs: Math.round(cached.maxStallMs),
  };
  // Still answering from the library swapped in last.
  if (live.current().engine.index.documentCount === 0) throw new Error('the reloaded library is empty');
  live.close();
  await writeFile(out, JSON.stringify(result));
}

const [corpusDir, cacheDir, out] = process.argv.slice(2);
if (!corpusDir || !cacheDir || !out) throw new Error('usage: bench/reload.ts CORPUS_DIR CACHE_DIR OUT.json');
await main(corpusDir, cacheDir, out);
