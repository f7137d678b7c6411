import { existsSync, readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { CorpusError } from './corpus/parse.js';
import { entityLines, saveDirectoryCache } from './entities/cached.js';
import { extractEntities } from './entities/extract.js';
import { cacheFile, corpusKey, encodeEngine, saveEncoded, UNCACHED_KEY } from './search/cache.js';
import { SearchEngine } from './search/engine.js';
import { CorpusLoadError, openCorpus } from './search/open.js';

/*
 * A reload's heavy half, off the thread that answers Discord: hash the corpus, and unless the cache
 * already holds this version, parse it, build the index and the entity directory from that one
 * parse and save both caches, and hand over the encoded index and the entity directory as bytes
 * (buffers moved, not copied) in one message. The main thread stops it before it decodes them, or
 * the cache when that already held this version, a slice per turn (see openLibraryOffThread): a
 * worker still collecting its own garbage competes for the same cores and collector threads, which
 * showed as 100–200 ms stalls of the main thread (issue 10, item 5).
 */

/** What the worker sends: one 'cached', 'built' or 'failed'. */
export type ReloadMessage =
  /** The cache holds this corpus version: the main thread reads it as start-up does. */
  | { readonly kind: 'cached'; readonly key: string }
  | {
      readonly kind: 'built';
      /** The corpus version the bytes are of; null when the corpus changed while it was read. */
      readonly key: string | null;
      /** The engine as the cache file holds it. */
      readonly bytes: Uint8Array;
      /** The entity directory, one JSON object a line ({@link entityLines}). */
      readonly entities: Uint8Array;
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'failed';
      readonly problems: readonly { file: string; problem: string; line?: number }[] | null;
      readonly message: string;
    };

const { corpusDir, cacheDir } = workerData as { corpusDir: string; cacheDir: string };
const post = (message: ReloadMessage, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(message, transfer);

/** One buffer holding `parts` end to end. */
function joined(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

/**
 * Lowers this thread's scheduling priority where the system allows it (Linux: a thread id is a
 * process id to setpriority), so on a machine with few cores the thread answering Discord is
 * scheduled first; elsewhere it keeps the default.
 */
function yieldCpu(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, constants.priority.PRIORITY_LOW);
  } catch {
    // No /proc, or not allowed: the default priority is still correct, only less polite.
  }
}

yieldCpu();
try {
  const key = await corpusKey(corpusDir).catch(() => null);
  if (key !== null && existsSync(cacheFile(cacheDir, key))) {
    post({ kind: 'cached', key });
  } else {
    const { articles, aliases } = await openCorpus(corpusDir);
    const engine = SearchEngine.build(articles, aliases);
    // Taken again: a corpus edited while it was read must not be cached under either version.
    const after = key === null ? null : await corpusKey(corpusDir).catch(() => null);
    const stable = key !== null && after === key ? key : null;
    const parts = encodeEngine(engine, stable ?? UNCACHED_KEY, corpusDir);
    const warnings: string[] = [];
    if (stable !== null)
      await saveEncoded(parts, cacheDir, stable).catch((err: unknown) =>
        warnings.push(`could not save the search index cache: ${String(err)}`),
      );
    const found = extractEntities(articles);
    if (stable !== null)
      await saveDirectoryCache(cacheDir, stable, found).catch((err: unknown) =>
        warnings.push(`could not save the entity directory cache: ${String(err)}`),
      );
    const bytes = joined(parts);
    const entities = entityLines(found);
    post({ kind: 'built', key: stable, bytes, entities, warnings }, [bytes.buffer as ArrayBuffer, entities.buffer as ArrayBuffer]);
  }
} catch (err) {
  const problems =
    err instanceof CorpusLoadError
      ? err.problems.map((p: CorpusError) => ({ file: p.file, problem: p.problem, ...(p.line === undefined ? {} : { line: p.line }) }))
      : null;
  post({ kind: 'failed', problems, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
