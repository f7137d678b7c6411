import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Article } from '../corpus/types.js';
import { Directory } from './directory.js';
import { extractEntities } from './extract.js';
import type { Entity } from './types.js';

/** Corpora larger than this are extracted in a worker thread, so answering never stalls for it. */
export const WORKER_THRESHOLD = 200;

const PREFIX = 'directory-';

let codeHash: string | undefined;
/** A hash of this folder's code and data, so a changed extractor never trusts an old cache. */
function entitiesCodeHash(): string {
  if (codeHash === undefined) {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    const hash = createHash('sha256');
    for (const name of readdirSync(dir)
      .filter((n) => /\.(ts|js|json)$/.test(n))
      .sort())
      hash.update(name).update(readFileSync(path.join(dir, name)));
    codeHash = hash.digest('hex');
  }
  return codeHash;
}

function looksLikeEntities(value: unknown): value is Entity[] {
  return (
    Array.isArray(value) &&
    value.every((e: unknown) => {
      const entity = e as Partial<Entity> | null;
      return (
        typeof entity?.name === 'string' &&
        typeof entity.id === 'string' &&
        Array.isArray(entity.mentions) &&
        Array.isArray(entity.aliases) &&
        Array.isArray(entity.appearsWith)
      );
    })
  );
}

/** Runs extraction in a worker thread over the corpus folder. */
export function extractInWorker(corpusDir: string): Promise<Entity[]> {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
  // From source (tests, npm run dev) the worker registers tsx's loader before loading the script.
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); });`, {
        eval: true,
        workerData: { corpusDir },
      })
    : new Worker(script, { workerData: { corpusDir } });
  return new Promise((resolve, reject) => {
    worker.once('message', (entities: Entity[]) => resolve(entities));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`entity extraction worker exited with code ${code}`))));
  });
}

/**
 * The entity directory of a corpus version: loaded from `cacheDir` when built before from the same
 * corpus and the same extractor, else extracted (in a worker for large corpora) and saved.
 * `key` is the corpus version; null means it is unknown, so nothing is cached.
 */
export async function openDirectoryCached(
  articles: readonly Article[],
  corpusDir: string,
  cacheDir: string,
  key: string | null,
  log?: Logger,
): Promise<Directory> {
  const started = performance.now();
  const file =
    key === null
      ? null
      : path.join(cacheDir, `${PREFIX}${createHash('sha256').update(key).update(entitiesCodeHash()).digest('hex').slice(0, 32)}.json`);
  if (file !== null) {
    try {
      const entities: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (looksLikeEntities(entities)) {
        log?.info({ entities: entities.length, ms: Math.round(performance.now() - started) }, 'entity directory loaded from cache');
        return new Directory(entities);
      }
      log?.warn({ file }, 'entity directory cache is malformed; rebuilding it');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log?.warn({ err, file }, 'entity directory cache is unreadable; rebuilding it');
    }
  }
  const entities = articles.length > WORKER_THRESHOLD ? await extractInWorker(corpusDir) : extractEntities(articles);
  log?.info(
    { entities: entities.length, ms: Math.round(performance.now() - started), worker: articles.length > WORKER_THRESHOLD },
    'entity directory built',
  );
  if (file !== null) {
    try {
      await mkdir(cacheDir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(entities));
      await rename(temporary, file);
      // Keep one other version besides this one: the compiled bot (`npm start`) and the sources
      // under tsx (`npm run dev`, the CLIs) hash different code, and must not evict each other.
      const others = (await readdir(cacheDir))
        .filter((name) => name.startsWith(PREFIX) && name.endsWith('.json') && path.join(cacheDir, name) !== file)
        .map((name) => path.join(cacheDir, name));
      const byAge = await Promise.all(
        others.map(async (other) => ({
          other,
          mtime: await stat(other).then(
            (s) => s.mtimeMs,
            () => 0,
          ),
        })),
      );
      byAge.sort((a, b) => b.mtime - a.mtime);
      for (const { other } of byAge.slice(1)) await rm(other, { force: true });
    } catch (err) {
      log?.warn({ err, cacheDir }, 'could not save the entity directory cache');
    }
  }
  return new Directory(entities);
}
