import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Turns } from '../slices.js';
import { startWorker } from '../worker.js';
import { plainArticle } from '../corpus/plain.js';
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

function looksLikeEntity(value: unknown): value is Entity {
  const entity = value as Partial<Entity> | null;
  return (
    typeof entity?.name === 'string' &&
    typeof entity.id === 'string' &&
    Array.isArray(entity.mentions) &&
    Array.isArray(entity.aliases) &&
    Array.isArray(entity.appearsWith)
  );
}

function looksLikeEntities(value: unknown): value is Entity[] {
  return Array.isArray(value) && value.every(looksLikeEntity);
}

/** Entities as the reload worker hands them over: one JSON object a line. */
export function entityLines(entities: readonly Entity[]): Uint8Array {
  return new TextEncoder().encode(entities.map((entity) => JSON.stringify(entity)).join('\n'));
}

/**
 * The entities of {@link entityLines}' bytes, or null when they are not entities, parsed a line at a
 * time and yielding as `turns` asks: one JSON.parse of the 2 MB directory of 10,000 articles held a
 * reload's turn for 20–50 ms.
 */
export async function parseEntityLines(bytes: Uint8Array, turns: Turns): Promise<Entity[] | null> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entities: Entity[] = [];
  let at = 0;
  while (at < buffer.byteLength) {
    const newline = buffer.indexOf(0x0a, at);
    const end = newline === -1 ? buffer.byteLength : newline;
    try {
      const entity: unknown = JSON.parse(buffer.toString('utf8', at, end));
      if (!looksLikeEntity(entity)) return null;
      entities.push(entity);
    } catch {
      return null;
    }
    at = end + 1;
    if (turns.spent()) await turns.next();
  }
  return entities;
}

/** The entities in a directory cache file's bytes, or null when they are not a directory. */
export function parseEntities(bytes: Uint8Array): Entity[] | null {
  try {
    const entities: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return looksLikeEntities(entities) ? entities : null;
  } catch {
    return null;
  }
}

/**
 * Runs extraction in a worker thread over `articles`: the very articles the index was built from,
 * so the directory never names an article the index lacks (re-reading the folder could find it
 * changed).
 */
export function extractInWorker(articles: readonly Article[]): Promise<Entity[]> {
  const worker = startWorker(import.meta.url, './worker', { articles: articles.map(plainArticle) });
  return new Promise((resolve, reject) => {
    worker.once('message', (entities: Entity[]) => resolve(entities));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`entity extraction worker exited with code ${code}`))));
  });
}

/** The entity directory's cache file for a corpus version. */
export function directoryCacheFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${PREFIX}${createHash('sha256').update(key).update(entitiesCodeHash()).digest('hex').slice(0, 32)}.json`);
}

/**
 * Saves a directory's entities under its corpus version. One other version is kept besides this
 * one: the compiled bot (`npm start`) and the sources under tsx (`npm run dev`, the CLIs) hash
 * different code, and must not evict each other.
 */
export async function saveDirectoryCache(cacheDir: string, key: string, entities: readonly Entity[]): Promise<void> {
  const file = directoryCacheFile(cacheDir, key);
  await mkdir(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await writeFile(temporary, JSON.stringify(entities));
  await rename(temporary, file);
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
}

/**
 * The entity directory of a corpus version: loaded from `cacheDir` when built before from the same
 * corpus and the same extractor, else extracted (in a worker for large corpora) and saved.
 * `key` is the corpus version; null means it is unknown, so nothing is cached.
 */
export async function openDirectoryCached(
  articles: readonly Article[],
  cacheDir: string,
  key: string | null,
  log?: Logger,
): Promise<Directory> {
  const started = performance.now();
  const file = key === null ? null : directoryCacheFile(cacheDir, key);
  if (file !== null) {
    try {
      const entities = parseEntities(await readFile(file));
      if (entities !== null) {
        log?.info({ entities: entities.length, ms: Math.round(performance.now() - started) }, 'entity directory loaded from cache');
        return new Directory(entities);
      }
      log?.warn({ file }, 'entity directory cache is malformed; rebuilding it');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log?.warn({ err, file }, 'entity directory cache is unreadable; rebuilding it');
    }
  }
  const entities = articles.length > WORKER_THRESHOLD ? await extractInWorker(articles) : extractEntities(articles);
  log?.info(
    { entities: entities.length, ms: Math.round(performance.now() - started), worker: articles.length > WORKER_THRESHOLD },
    'entity directory built',
  );
  if (key !== null) {
    try {
      await saveDirectoryCache(cacheDir, key, entities);
    } catch (err) {
      log?.warn({ err, cacheDir }, 'could not save the entity directory cache');
    }
  }
  return new Directory(entities);
}
