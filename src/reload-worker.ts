import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { CorpusError } from './corpus/parse.js';
import { saveDirectoryCache } from './entities/cached.js';
import { extractEntities } from './entities/extract.js';
import { cacheFile, corpusKey, encodeEngine, saveEncoded, UNCACHED_KEY } from './search/cache.js';
import { SearchEngine } from './search/engine.js';
import { CorpusLoadError, openCorpus } from './search/open.js';

/*
 * A reload's heavy half, off the thread that answers Discord: hash the corpus, and unless the cache
 * already holds this version, parse it, build the index and the entity directory from that one
 * parse, save both caches, and hand the encoded index over (its buffer moved, not copied) with the
 * entities in small batches. The main thread only decodes, a slice per turn (see openLibraryOffThread).
 */

/** What the worker sends, in this order: one of 'cached' or 'built' (then 'entities'…, 'done'), or 'failed'. */
export type ReloadMessage =
  | { readonly kind: 'cached'; readonly key: string }
  | { readonly kind: 'built'; readonly key: string | null; readonly bytes: Uint8Array; readonly warnings: readonly string[] }
  | { readonly kind: 'entities'; readonly batch: readonly unknown[] }
  | { readonly kind: 'done' }
  | {
      readonly kind: 'failed';
      readonly problems: readonly { file: string; problem: string; line?: number }[] | null;
      readonly message: string;
    };

/** Entities per message: each is deserialised on the main thread in one go, so keep them small. */
const ENTITY_BATCH = 2000;

const { corpusDir, cacheDir } = workerData as { corpusDir: string; cacheDir: string };
const post = (message: ReloadMessage, transfer: ArrayBuffer[] = []): void => parentPort?.postMessage(message, transfer);

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
    const entities = extractEntities(articles);
    if (stable !== null)
      await saveDirectoryCache(cacheDir, stable, entities).catch((err: unknown) =>
        warnings.push(`could not save the entity directory cache: ${String(err)}`),
      );
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    post({ kind: 'built', key: stable, bytes, warnings }, [bytes.buffer]);
    for (let i = 0; i < entities.length; i += ENTITY_BATCH) post({ kind: 'entities', batch: entities.slice(i, i + ENTITY_BATCH) });
  }
  post({ kind: 'done' });
} catch (err) {
  const problems =
    err instanceof CorpusLoadError
      ? err.problems.map((p: CorpusError) => ({ file: p.file, problem: p.problem, ...(p.line === undefined ? {} : { line: p.line }) }))
      : null;
  post({ kind: 'failed', problems, message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
