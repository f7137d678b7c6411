import { appendFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openLibraryCached, openLibraryOffThread } from '../src/library.js';

/**
 * A live reload while the bot answers: `node --import tsx bench/reload.ts CORPUS_DIR CACHE_DIR OUT.json`.
 * Opens the corpus as start-up does, edits one article (so the reload must parse and index again),
 * reloads as the running bot does (src/main.ts: openLibraryOffThread), and records the longest the
 * event loop waited meanwhile, which is how late an answer or a gateway heartbeat could be. Then
 * reloads the unchanged corpus again (from the cache the first reload wrote).
 */

/** What a reload measures; times in milliseconds. */
export interface ReloadResult {
  readonly changedMs: number;
  readonly changedMaxStallMs: number;
  readonly cachedMs: number;
  readonly cachedMaxStallMs: number;
}

/** Runs `work` and returns its time and the event loop's longest stall meanwhile. */
async function stallDuring(work: () => Promise<unknown>): Promise<{ ms: number; maxStallMs: number }> {
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
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  delay.disable();
  clearInterval(probe);
  return { ms, maxStallMs: Math.max(longest, delay.max / 1e6 - 5) };
}

async function main(corpusDir: string, cacheDir: string, out: string): Promise<void> {
  await openLibraryCached(corpusDir, cacheDir);
  const name = (await readdir(corpusDir)).filter((file) => file.endsWith('.md')).sort()[0] ?? '';
  await appendFile(path.join(corpusDir, name), '\n\nA paragraph added while the bot runs, so the reload must index again.\n');
  const changed = await stallDuring(() => openLibraryOffThread(corpusDir, cacheDir));
  const cached = await stallDuring(() => openLibraryOffThread(corpusDir, cacheDir));
  const result: ReloadResult = {
    changedMs: Math.round(changed.ms),
    changedMaxStallMs: Math.round(changed.maxStallMs),
    cachedMs: Math.round(cached.ms),
    cachedMaxStallMs: Math.round(cached.maxStallMs),
  };
  await writeFile(out, JSON.stringify(result));
}

const [corpusDir, cacheDir, out] = process.argv.slice(2);
if (!corpusDir || !cacheDir || !out) throw new Error('usage: bench/reload.ts CORPUS_DIR CACHE_DIR OUT.json');
await main(corpusDir, cacheDir, out);
