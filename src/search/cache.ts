import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import MiniSearch from 'minisearch';
import { isArticleFile } from '../corpus/load.js';
import { readCorpusFileSync } from '../corpus/read.js';
import type { Article, EntityOverride, Paragraph, Section, Sentence } from '../corpus/types.js';
import { ALIASES_FILE, type AliasTable } from './aliases.js';
import { terms } from './analyzer.js';
import { buildEngineAsync, documentId, INDEX_VERSION, miniSearchOptions, SearchEngine, splitDocumentId } from './engine.js';
import { openCorpus } from './open.js';
import { Turns } from '../slices.js';
import { STOP_WORDS } from './stopwords.js';

/*
 * The engine cache: one file per corpus version holding the parsed articles, the alias table and
 * the MiniSearch index, so a restart skips parsing and indexing (about 25 s at 10,000 articles).
 *
 * Why not `JSON.stringify(index)` and `MiniSearch.loadJSON`: measured at 10,000 articles (110,000
 * paragraphs, 3.6 million postings) on the project's 2-core machine, loadJSON takes 2.4 s,
 * loadJSONAsync 5.6 s, and the articles cost another 1 s as JSON or 2.5-4 s to re-parse: the 3-second
 * cold start cannot be met. Here the articles are one text block plus sentence offsets, and the
 * index is MiniSearch's term tree written node by node with posting lists as flat 32-bit integers,
 * turned into Maps only when a term is first searched. The whole open, hashing the corpus included,
 * takes about 1.2 s at 10,000 articles (bench/results/latest.md has both ways at every size).
 *
 * Trust: the file name and header carry a SHA-256 over every corpus file (name and bytes), the
 * analyzer and index settings, and the MiniSearch and stemmer versions; the body carries a SHA-256
 * of itself. Anything that does not match, or fails to decode, is ignored and rebuilt. Files are
 * written to a temporary name and renamed, so a reader never sees half a file.
 */

/** The key an engine is encoded under when the corpus could not be hashed steadily: never saved. */
export const UNCACHED_KEY = 'uncached';

/** Layout version of the cache file; bump with any change to how it is written. */
export const CACHE_FORMAT = 'qa-engine-cache/3';

const MAGIC = Buffer.from('QAENGIN3', 'latin1');
/**
 * The checksum that finds a truncated or damaged file. Not a defence (whoever can write the cache
 * folder can write a matching sum): SHA-1 checks 75 MB in ~40 ms here where SHA-256 took ~135 ms, and
 * that time is spent before the first answer at every start.
 */
const CHECKSUM = 'sha1';
const CHECKSUM_BYTES = 20;
/** Magic, header length (u32), the {@link CHECKSUM} of everything after the preamble. */
const PREAMBLE_BYTES = MAGIC.length + 4 + CHECKSUM_BYTES;
const FILE_PREFIX = 'engine-';
const FILE_SUFFIX = '.cache';

/** What {@link openEngineCached} returns. */
export interface CachedEngine {
  readonly engine: SearchEngine;
  /** Whether the engine came from the cache rather than from parsing and indexing the corpus. */
  readonly fromCache: boolean;
  /** Wall time of the whole open, in milliseconds. */
  readonly ms: number;
  /** The corpus version the engine was built from ({@link corpusKey}), or null when it could not be taken. */
  readonly key: string | null;
}

/**
 * Opens the corpus in `corpusDir` from the cache in `cacheDir` when the cache matches the corpus
 * exactly, else parses and indexes it (with {@link openCorpus} and {@link buildEngineAsync}) and saves
 * the cache for next time. A bad corpus throws {@link openCorpus}'s CorpusLoadError; a missing,
 * stale or unreadable cache is only logged. Saving is best effort: a read-only cache folder slows
 * the next start but breaks nothing.
 */
export async function openEngineCached(corpusDir: string, cacheDir: string, logger?: Logger): Promise<CachedEngine> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  // The newest cache file is nearly always this corpus's: it is read while the key is being taken.
  const newest = newestCacheFile(cacheDir);
  const early = newest === null ? null : readWhole(newest).catch(() => null);
  const key = await corpusKey(corpusDir).catch(() => null);
  if (key !== null) {
    const file = cacheFile(cacheDir, key);
    try {
      const bytes = (file === newest ? await early : null) ?? (await readWhole(file));
      const engine = await decodeEngine(bytes, key, corpusDir);
      const ms = elapsed();
      logger?.info({ file, ms }, 'search index loaded from cache');
      return { engine, fromCache: true, ms, key };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') logger?.debug({ file }, 'no search index cache for this corpus version');
      else logger?.warn({ err, file }, 'search index cache is unusable; rebuilding it');
    }
  }

  const { articles, aliases } = await openCorpus(corpusDir);
  logger?.info({ articles: articles.length, ms: elapsed() }, 'corpus parsed; building the search index');
  const engine = await buildEngineAsync(articles, aliases);
  logger?.info({ paragraphs: engine.index.documentCount, ms: elapsed() }, 'search index built');
  // The key is taken again: a corpus edited while it was being read must not be saved under either version.
  const after = key === null ? null : await corpusKey(corpusDir).catch(() => null);
  if (key === null) {
    logger?.warn({ corpusDir }, 'corpus files could not be hashed; not caching the index');
  } else if (after !== key) {
    logger?.warn({ corpusDir }, 'corpus changed while the index was being built; not caching it');
  } else {
    try {
      const file = await saveEngine(engine, cacheDir, key, corpusDir);
      logger?.info({ file }, 'search index cached');
    } catch (err) {
      logger?.warn({ err, cacheDir }, 'could not save the search index cache');
    }
  }
  return { engine, fromCache: false, ms: elapsed(), key: key !== null && after === key ? key : null };
}

/** The cache file for a corpus version. */
export function cacheFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${FILE_PREFIX}${key.slice(0, 32)}${FILE_SUFFIX}`);
}

/**
 * A file's bytes in as few reads as the system allows, each a single job of the thread pool. `readFile`
 * reads 512 KB a job and needs a turn of this thread between jobs, so it made no progress while the
 * corpus was being hashed beside it.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const bytes = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(bytes, done, size - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === size ? bytes : bytes.subarray(0, done);
  } finally {
    await handle.close();
  }
}

/** The most recently written engine cache file in `cacheDir`, or null when there is none. */
function newestCacheFile(cacheDir: string): string | null {
  let newest: { file: string; at: number } | null = null;
  try {
    for (const name of readdirSync(cacheDir)) {
      if (!name.startsWith(FILE_PREFIX) || !name.endsWith(FILE_SUFFIX)) continue;
      const file = path.join(cacheDir, name);
      const stats = statSync(file, { throwIfNoEntry: false });
      if (stats?.isFile() === true && (newest === null || stats.mtimeMs > newest.at)) newest = { file, at: stats.mtimeMs };
    }
  } catch {
    // No cache folder yet.
  }
  return newest?.file ?? null;
}

// ---------------------------------------------------------------------------------------------
// The key

/** A sentence exercising every step of the analyzer, so a changed analyzer changes the key. */
const ANALYZER_PROBE =
  'The U.S. and the U.N. said Anna’s long-range rockets weren’t running; Lisbon’s café—naïve résumés, 1953, USA vs. US.';

let settings: string | undefined;

/**
 * Everything besides the corpus that decides what the index holds. RANKING is not part of it: its
 * values are applied at question time to whatever index is loaded, so tuning them needs no rebuild.
 */
function settingsFingerprint(): string {
  settings ??= JSON.stringify({
    format: CACHE_FORMAT,
    index: INDEX_VERSION,
    minisearch: packageVersion('minisearch'),
    stemmer: packageVersion('stemmer'),
    fields: miniSearchOptions().fields,
    probe: terms(ANALYZER_PROBE),
    stopWords: [...STOP_WORDS].sort(),
    endianness: os.endianness(),
  });
  return settings;
}

/** The installed version of a package, found from its entry point (not all export package.json). */
function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    let dir = path.dirname(require.resolve(name));
    for (let depth = 0; depth < 6; depth += 1) {
      try {
        const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
        if (manifest.name === name && typeof manifest.version === 'string') return manifest.version;
      } catch {
        // No manifest at this level; look further up.
      }
      dir = path.dirname(dir);
    }
  } catch {
    // Not resolvable: the key still holds INDEX_VERSION and the corpus.
  }
  return 'unknown';
}

/**
 * SHA-256 over the settings and every corpus file the engine reads (article files and the alias
 * table), by name and bytes. Files are read synchronously in batches: 10,000 small files take
 * ~0.3 s this way against ~0.9 s through the thread pool, and the loop still turns between batches.
 */
export async function corpusKey(corpusDir: string): Promise<string> {
  const hash = createHash('sha256').update(settingsFingerprint()).update('\0');
  const names = readdirSync(corpusDir)
    .filter((name) => isArticleFile(name) || name === ALIASES_FILE)
    .sort();
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i] ?? '';
    // Checked like every corpus read: a FIFO or /dev/zero named like an article must not hang the hash.
    const bytes = readCorpusFileSync(path.join(corpusDir, name));
    hash.update(`${name}\0${bytes.byteLength}\0`).update(bytes);
    if (i % 500 === 499) await yieldToLoop();
  }
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// The file: preamble, JSON header, then 32-bit sections and the paragraph text.

/**
 * Article fields kept in the header; paragraphs live in the sections. `file` is the name within the
 * corpus folder, so a moved folder still gives right paths.
 */
interface ArticleMeta extends Omit<Article, 'paragraphs'> {
  readonly headings: readonly string[];
  readonly paragraphs: number;
  /** UTF-8 bytes of the article's paragraph texts in the text section, so each is decoded on its own. */
  readonly textBytes: number;
}

interface Header {
  readonly format: string;
  readonly key: string;
  readonly index: {
    readonly documentCount: number;
    readonly nextId: number;
    readonly fieldIds: Record<string, number>;
    readonly averageFieldLength: number[];
    /** Number of terms and of edge labels (in the labels section) of the term tree. */
    readonly terms: number;
    readonly labels: number;
  };
  readonly articles: number;
  readonly aliases: { readonly expansions: [string, readonly string[]][]; readonly longest: number };
  /**
   * Lengths of the sections that follow the header, in 32-bit words (text, labels, metas: in bytes).
   * Labels are the term tree's edge labels in the order {@link encodeEngine} walks it, joined by NUL;
   * metas are one JSON line per article. Both are split and parsed a slice per turn of the event
   * loop when loaded: one JSON.parse of them all stalled a reload for ~0.1 s at 10,000 articles.
   */
  readonly sections: {
    readonly postings: number;
    readonly fieldLengths: number;
    readonly paragraphs: number;
    readonly text: number;
    readonly labels: number;
    readonly metas: number;
  };
}

type TermData = Map<number, Map<number, number>>;
/** A node of MiniSearch's radix tree: edge label → child node, and '' → the term's data. */
type TreeNode = Map<string, TreeNode | TermData>;

/** MiniSearch 7's state, as `loadJSON` restores it (protected in its types). */
interface IndexState {
  _index: { _tree: TreeNode; _size: number | undefined; readonly size: number };
  _documentCount: number;
  _nextId: number;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _dirtCount: number;
}

/** Between edge labels in the labels section; no analysed term holds it. */
const LABEL_SEPARATOR = '\u0000';

/** MiniSearch's key for a term's data in a tree node. */
const LEAF = '';

/** Refuses to cache anything the file could not give back exactly. */
function check(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new Error(`cannot cache this engine: ${problem}`);
}

/** Grows a Uint32Array as words are appended. */
class Words {
  private data = new Uint32Array(1 << 16);
  length = 0;
  push(word: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = word;
    this.length += 1;
  }
  bytes(): Buffer {
    return Buffer.from(this.data.buffer, 0, this.length * 4);
  }
}

/** Serialises an engine; throws if it holds anything the format cannot give back exactly. */
export function encodeEngine(engine: SearchEngine, key: string, corpusDir: string): Buffer[] {
  const state = engine.index as unknown as IndexState;
  const articles = [...engine.articles.values()];
  const fieldNames = miniSearchOptions().fields;
  check(state._dirtCount === 0 && state._documentCount === state._nextId, 'the index has removed documents');

  const paragraphs = new Words();
  const texts: string[] = [];
  const metas: ArticleMeta[] = [];
  let doc = 0;
  for (const article of articles) {
    check(path.join(corpusDir, path.basename(article.file)) === article.file, `${article.file} is not in ${corpusDir}`);
    const headings: string[] = [];
    for (const [i, paragraph] of article.paragraphs.entries()) {
      check(paragraph.number === i + 1 && paragraph.articleId === article.id, `${article.file} has paragraphs out of order`);
      check(state._documentIds.get(doc) === documentId(article.id, paragraph.number), 'index and articles disagree');
      doc += 1;
      let heading = 0;
      if (paragraph.section !== null) {
        const at = headings.indexOf(paragraph.section);
        heading = at === -1 ? headings.push(paragraph.section) : at + 1;
      }
      paragraphs.push(heading);
      paragraphs.push(paragraph.text.length);
      paragraphs.push(paragraph.sentences.length);
      for (const [s, sentence] of paragraph.sentences.entries()) {
        check(
          sentence.index === s && sentence.text === paragraph.text.slice(sentence.start, sentence.end),
          'a sentence is not a slice of its paragraph',
        );
        paragraphs.push(sentence.start);
        paragraphs.push(sentence.end);
      }
      texts.push(paragraph.text);
    }
    const textBytes = article.paragraphs.reduce((sum, paragraph) => sum + Buffer.byteLength(paragraph.text, 'utf8'), 0);
    const { id, title, source, url, published, author, file, sections, entities, examples } = article;
    metas.push({
      id,
      title,
      source,
      url,
      published,
      author,
      file: path.basename(file),
      sections,
      entities,
      examples,
      headings,
      paragraphs: article.paragraphs.length,
      textBytes,
    });
  }
  check(doc === state._nextId, 'index and articles disagree on the number of paragraphs');

  const fieldLengths = new Words();
  for (let d = 0; d < state._nextId; d += 1) {
    const lengths = state._fieldLength.get(d);
    for (const field of fieldNames) {
      const length = lengths?.[state._fieldIds[field] ?? -1];
      check(length !== undefined, 'a field length is missing');
      fieldLengths.push(length);
    }
  }

  // The term tree is written node by node in its own order rather than term by term: re-inserting
  // terms builds a tree that iterates in another order, and prefix and typo matches are summed in
  // that order, so scores could differ in the last bit from the index that was saved.
  const postings = new Words();
  const labels: string[] = [];
  let termCount = 0;
  const stack: TreeNode[] = [state._index._tree];
  while (stack.length > 0) {
    const node = stack.pop() as TreeNode;
    postings.push(node.size);
    const children: TreeNode[] = [];
    for (const [label, child] of node) {
      check(!label.includes(LABEL_SEPARATOR), 'a term holds the label separator');
      labels.push(label);
      if (label !== LEAF) {
        children.push(child as TreeNode);
        continue;
      }
      termCount += 1;
      const data = child as TermData;
      postings.push(data.size);
      for (const [fieldId, freqs] of data) {
        postings.push(fieldId);
        postings.push(freqs.size);
        for (const docId of freqs.keys()) postings.push(docId);
        for (const freq of freqs.values()) postings.push(freq);
      }
    }
    // Depth first, children in their order: pushed reversed so the first is taken next.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as TreeNode);
  }
  check(termCount === state._index.size, 'the term tree does not hold every term');

  const text = Buffer.from(texts.join(''), 'utf8');
  const labelBytes = Buffer.from(labels.join(LABEL_SEPARATOR), 'utf8');
  const metaBytes = Buffer.from(metas.map((meta) => JSON.stringify(meta)).join('\n'), 'utf8');
  const header: Header = {
    format: CACHE_FORMAT,
    key,
    index: {
      documentCount: state._documentCount,
      nextId: state._nextId,
      fieldIds: state._fieldIds,
      averageFieldLength: state._avgFieldLength,
      terms: termCount,
      labels: labels.length,
    },
    articles: metas.length,
    aliases: { expansions: [...engine.aliases.expansions], longest: engine.aliases.longest },
    sections: {
      postings: postings.length,
      fieldLengths: fieldLengths.length,
      paragraphs: paragraphs.length,
      text: text.byteLength,
      labels: labelBytes.byteLength,
      metas: metaBytes.byteLength,
    },
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const padding = Buffer.alloc((4 - ((PREAMBLE_BYTES + headerBytes.byteLength) % 4)) % 4);
  const body = [headerBytes, padding, postings.bytes(), fieldLengths.bytes(), paragraphs.bytes(), text, labelBytes, metaBytes];
  const digest = createHash(CHECKSUM);
  for (const part of body) digest.update(part);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.byteLength);
  return [MAGIC, length, digest.digest(), ...body];
}

/**
 * Saves an engine under its corpus key, atomically, and removes the caches of other versions: a
 * cache folder serves one corpus folder (give each corpus its own CACHE_DIR).
 */
export async function saveEngine(engine: SearchEngine, cacheDir: string, key: string, corpusDir: string): Promise<string> {
  return saveEncoded(encodeEngine(engine, key, corpusDir), cacheDir, key);
}

/** Saves an engine already encoded by {@link encodeEngine} (as the reload worker does). */
export async function saveEncoded(parts: readonly Uint8Array[], cacheDir: string, key: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const file = cacheFile(cacheDir, key);
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writev([...parts]);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  for (const name of await readdir(cacheDir)) {
    const other = path.join(cacheDir, name);
    if (name.startsWith(FILE_PREFIX) && other !== file && (name.endsWith(FILE_SUFFIX) || name.endsWith('.tmp'))) {
      // A temporary file of a process still writing is younger than a minute; leave those alone.
      if (name.endsWith('.tmp') && (await isRecent(other))) continue;
      await rm(other, { force: true });
    }
  }
  return file;
}

async function isRecent(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs < 60_000;
  } catch {
    return false;
  }
}

/** Loads the engine cached under `key`; throws (ENOENT when there is none) if it is not exactly that. */
export async function loadEngine(file: string, key: string, corpusDir: string): Promise<SearchEngine> {
  return decodeEngine(await readWhole(file), key, corpusDir);
}

/**
 * A posting list (document id → term frequency) read from the cache, which becomes a Map the first
 * time anything but its size is asked. Most terms are never searched, and building every Map is
 * half the load time (0.5 s at 10,000 articles) and most of the index's memory. To MiniSearch and
 * the scorer it is a Map like any other.
 */
class LazyPostings extends Map<number, number> {
  /** Document ids, then their frequencies; undefined once the Map is built. */
  #words: Uint32Array | undefined;
  readonly #count: number;

  constructor(words: Uint32Array, count: number) {
    super();
    this.#words = words;
    this.#count = count;
  }

  #fill(): void {
    const words = this.#words;
    if (words === undefined) return;
    this.#words = undefined;
    const count = this.#count;
    for (let i = 0; i < count; i += 1) super.set(words[i] ?? 0, words[count + i] ?? 0);
  }

  override get size(): number {
    return this.#words === undefined ? super.size : this.#count;
  }
  override get(key: number): number | undefined {
    this.#fill();
    return super.get(key);
  }
  override has(key: number): boolean {
    this.#fill();
    return super.has(key);
  }
  override set(key: number, value: number): this {
    this.#fill();
    return super.set(key, value);
  }
  override delete(key: number): boolean {
    this.#fill();
    return super.delete(key);
  }
  override clear(): void {
    this.#words = undefined;
    super.clear();
  }
  override forEach(callback: (value: number, key: number, map: Map<number, number>) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(callback, thisArg);
  }
  override keys(): MapIterator<number> {
    this.#fill();
    return super.keys();
  }
  override values(): MapIterator<number> {
    this.#fill();
    return super.values();
  }
  override entries(): MapIterator<[number, number]> {
    this.#fill();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[number, number]> {
    this.#fill();
    return super[Symbol.iterator]();
  }
}

/** A cache file that is not what it claims. */
class CacheFileError extends Error {
  override readonly name = 'CacheFileError';
}

function ensure(condition: boolean, problem: string): asserts condition {
  if (!condition) throw new CacheFileError(problem);
}

/** 32-bit words of a section, copied only when the section is not 4-byte aligned in memory. */
function words(bytes: Buffer, offset: number, count: number): Uint32Array {
  ensure(offset + count * 4 <= bytes.byteLength, 'truncated');
  const at = bytes.byteOffset + offset;
  if (at % 4 === 0) return new Uint32Array(bytes.buffer, at, count);
  return new Uint32Array(bytes.buffer.slice(at, at + count * 4));
}

/** Rebuilds an engine from a cache file's bytes; throws a CacheFileError unless they are sound and for `key`. */
export async function decodeEngine(bytes: Buffer, key: string, corpusDir: string): Promise<SearchEngine> {
  ensure(bytes.byteLength >= PREAMBLE_BYTES && bytes.subarray(0, MAGIC.length).equals(MAGIC), 'not an engine cache file');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const digest = bytes.subarray(MAGIC.length + 4, PREAMBLE_BYTES);
  const turns = new Turns();
  ensure((await checksumInSlices(bytes.subarray(PREAMBLE_BYTES), turns)).equals(digest), 'checksum mismatch (truncated or damaged)');
  ensure(PREAMBLE_BYTES + headerLength <= bytes.byteLength, 'truncated header');
  const header = JSON.parse(bytes.toString('utf8', PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength)) as Header;
  ensure(header.format === CACHE_FORMAT, `format ${String(header.format)}, expected ${CACHE_FORMAT}`);
  ensure(header.key === key, 'written for another corpus version');
  const { sections } = header;
  let offset = PREAMBLE_BYTES + headerLength;
  offset += (4 - (offset % 4)) % 4;
  // Copied out (the paragraph words too: sentences are read from them later), so the rest of the
  // file is not kept alive by what is read lazily.
  const postings = await copyInSlices(words(bytes, offset, sections.postings), turns);
  offset += sections.postings * 4;
  const fieldLengths = words(bytes, offset, sections.fieldLengths);
  offset += sections.fieldLengths * 4;
  const paragraphWords = await copyInSlices(words(bytes, offset, sections.paragraphs), turns);
  offset += sections.paragraphs * 4;
  const textStart = offset;
  offset += sections.text;
  const labelText = bytes.toString('utf8', offset, offset + sections.labels);
  offset += sections.labels;
  const metaStart = offset;
  offset += sections.metas;
  ensure(offset === bytes.byteLength, 'sections do not add up to the file');

  const metas = await parseMetas(bytes, metaStart, sections.metas, header.articles, turns);
  const { articles, perParagraph, sentences } = await decodeArticles(
    metas,
    paragraphWords,
    bytes,
    textStart,
    sections.text,
    corpusDir,
    turns,
  );
  const labels = await splitLabels(labelText, header.index.labels, turns);
  const index = await decodeIndex(header.index, labels, postings, fieldLengths, metas, turns);
  await turns.next();
  const aliases: AliasTable = { expansions: new Map(header.aliases.expansions), longest: header.aliases.longest };
  return new SearchEngine(articles, index, aliases, { paragraphs: header.index.documentCount, sentences, perParagraph });
}

/** Bytes hashed per check of the turn's budget: about a millisecond's worth. */
const HASH_SLICE = 512 * 1024;

/** Checking 75 MB takes ~40 ms: done a slice at a time all the same, so a reload in a running bot does not stall it. */
async function checksumInSlices(bytes: Uint8Array, turns: Turns): Promise<Buffer> {
  const hash = createHash(CHECKSUM);
  for (let at = 0; at < bytes.byteLength; at += HASH_SLICE) {
    hash.update(bytes.subarray(at, at + HASH_SLICE));
    if (turns.spent()) await turns.next();
  }
  return hash.digest();
}

/** Words copied per check of the turn's budget: copying 30 MB at once held a reload's turn for ~75 ms. */
const COPY_SLICE = 256 * 1024;

/** A copy of `source` in a buffer of its own, made a slice at a time. */
async function copyInSlices(source: Uint32Array, turns: Turns): Promise<Uint32Array> {
  const copy = new Uint32Array(source.length);
  for (let at = 0; at < source.length; at += COPY_SLICE) {
    copy.set(source.subarray(at, at + COPY_SLICE), at);
    if (turns.spent()) await turns.next();
  }
  return copy;
}

/** The article lines of the metas section, each decoded and parsed on its own, yielding as the budget asks. */
async function parseMetas(bytes: Buffer, start: number, length: number, count: number, turns: Turns): Promise<ArticleMeta[]> {
  const metas: ArticleMeta[] = [];
  const end = start + length;
  let at = start;
  while (count > 0 && at <= end) {
    const newline = bytes.indexOf(0x0a, at);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    metas.push(JSON.parse(bytes.toString('utf8', at, lineEnd)) as ArticleMeta);
    at = lineEnd + 1;
    if (turns.spent()) await turns.next();
  }
  ensure(metas.length === count && (count === 0 || at === end + 1), 'article data inconsistent');
  return metas;
}

/** The labels section split at its separators, yielding as the budget asks. */
async function splitLabels(text: string, count: number, turns: Turns): Promise<string[]> {
  const labels: string[] = [];
  let at = 0;
  while (labels.length < count) {
    const end = text.indexOf(LABEL_SEPARATOR, at);
    if (end === -1) {
      labels.push(text.slice(at));
      at = text.length + 1;
      break;
    }
    labels.push(text.slice(at, end));
    at = end + 1;
    if ((labels.length & 255) === 0 && turns.spent()) await turns.next();
  }
  ensure(labels.length === count && at === text.length + 1, 'term labels inconsistent');
  return labels;
}

/**
 * An article read from the cache. Its paragraphs, and their sentences, are made the first time they
 * are read: a question reads those of its few candidate articles, and making all of them at load
 * (110,000 paragraphs and 550,000 sentences at 10,000 articles, every one surviving) was most of the
 * young-generation collection a reload paid on the thread answering Discord (issue 10, item 5). The
 * stored words they are made from are checked when the article is read.
 */
class StoredArticle implements Article {
  readonly #text: string;
  readonly #textAt: number;
  readonly #words: Uint32Array;
  readonly #wordsAt: number;
  readonly #count: number;
  readonly #headings: readonly string[];
  #paragraphs: readonly Paragraph[] | undefined;

  constructor(
    meta: ArticleMeta,
    readonly file: string,
    /** The text run holding this article's paragraphs, from `textAt` on. */
    text: string,
    textAt: number,
    /** The paragraph words (heading, length, sentence count, then start and end of each sentence), from `wordsAt` on. */
    words: Uint32Array,
    wordsAt: number,
  ) {
    this.id = meta.id;
    this.title = meta.title;
    this.source = meta.source;
    this.url = meta.url;
    this.published = meta.published;
    this.author = meta.author;
    this.sections = meta.sections;
    this.entities = meta.entities;
    this.examples = meta.examples;
    this.#text = text;
    this.#textAt = textAt;
    this.#words = words;
    this.#wordsAt = wordsAt;
    this.#count = meta.paragraphs;
    this.#headings = meta.headings;
  }

  readonly id: string;
  readonly title: string;
  readonly source: string | null;
  readonly url: string | null;
  readonly published: string | null;
  readonly author: string | null;
  readonly sections: readonly Section[];
  readonly entities: readonly EntityOverride[];
  readonly examples: readonly string[];

  get paragraphs(): readonly Paragraph[] {
    if (this.#paragraphs === undefined) {
      const paragraphs: Paragraph[] = [];
      let at = this.#wordsAt;
      let textAt = this.#textAt;
      for (let number = 1; number <= this.#count; number += 1) {
        const heading = this.#words[at] ?? 0;
        const length = this.#words[at + 1] ?? 0;
        const count = this.#words[at + 2] ?? 0;
        const text = this.#text.slice(textAt, textAt + length);
        const section = heading === 0 ? null : (this.#headings[heading - 1] ?? null);
        paragraphs.push(new StoredParagraph(this.id, number, section, text, this.#words, at + 3, count));
        textAt += length;
        at += 3 + 2 * count;
      }
      this.#paragraphs = paragraphs;
    }
    return this.#paragraphs;
  }
}

/** A paragraph read from the cache, whose sentences are made the first time they are read. */
class StoredParagraph implements Paragraph {
  readonly #bounds: Uint32Array;
  /** Where this paragraph's (start, end) pairs begin in `bounds`, and how many there are. */
  readonly #at: number;
  readonly #count: number;
  #sentences: readonly Sentence[] | undefined;

  constructor(
    readonly articleId: string,
    readonly number: number,
    readonly section: string | null,
    readonly text: string,
    bounds: Uint32Array,
    at: number,
    count: number,
  ) {
    this.#bounds = bounds;
    this.#at = at;
    this.#count = count;
  }

  get sentences(): readonly Sentence[] {
    if (this.#sentences === undefined) {
      const sentences: Sentence[] = [];
      for (let index = 0; index < this.#count; index += 1) {
        const start = this.#bounds[this.#at + 2 * index] ?? 0;
        const end = this.#bounds[this.#at + 2 * index + 1] ?? 0;
        sentences.push({ index, text: this.text.slice(start, end), start, end });
      }
      this.#sentences = sentences;
    }
    return this.#sentences;
  }
}

/**
 * Article text decoded per string: at least this many bytes, so each string is allocated among V8's
 * large objects, which a young-generation collection does not copy, rather than one 4 KB string per
 * article that every collection would.
 */
const TEXT_RUN_BYTES = 256 * 1024;

/**
 * The articles, checked against the paragraph words and text they are made from (which they keep,
 * making their paragraphs when first read), and the corpus's sentences counted.
 */
async function decodeArticles(
  metas: readonly ArticleMeta[],
  data: Uint32Array,
  bytes: Buffer,
  textStart: number,
  textLength: number,
  corpusDir: string,
  turns: Turns,
): Promise<{ articles: Article[]; perParagraph: Int32Array; sentences: number }> {
  let at = 0;
  let byteAt = textStart;
  let sentenceTotal = 0;
  const perParagraph = new Int32Array(metas.reduce((sum, meta) => sum + meta.paragraphs, 0));
  let doc = 0;
  const next = (): number => {
    const word = data[at];
    ensure(word !== undefined, 'paragraph data truncated');
    at += 1;
    return word;
  };
  const articles: Article[] = [];
  let run = '';
  let runAt = 0;
  for (let a = 0; a < metas.length; a += 1) {
    const meta = metas[a] as ArticleMeta;
    ensure(byteAt + meta.textBytes <= textStart + textLength, 'text section truncated');
    if (runAt === run.length) {
      // A new run: this article and those after it, up to TEXT_RUN_BYTES.
      let runBytes = meta.textBytes;
      for (let b = a + 1; b < metas.length && runBytes < TEXT_RUN_BYTES; b += 1) runBytes += (metas[b] as ArticleMeta).textBytes;
      run = bytes.toString('utf8', byteAt, byteAt + runBytes);
      runAt = 0;
    }
    byteAt += meta.textBytes;
    const article = new StoredArticle(meta, path.join(corpusDir, meta.file), run, runAt, data, at);
    for (let number = 1; number <= meta.paragraphs; number += 1) {
      const heading = next();
      const length = next();
      const count = next();
      ensure(runAt + length <= run.length && heading <= meta.headings.length, 'paragraph data inconsistent');
      runAt += length;
      for (let index = 0; index < count; index += 1) {
        const start = next();
        const end = next();
        ensure(start <= end && end <= length, 'sentence outside its paragraph');
      }
      perParagraph[doc] = Math.max(1, count);
      sentenceTotal += Math.max(1, count);
      doc += 1;
    }
    articles.push(article);
    if (turns.spent()) await turns.next();
  }
  ensure(at === data.length && byteAt === textStart + textLength && runAt === run.length, 'paragraph data has leftovers');
  return { articles, perParagraph, sentences: sentenceTotal };
}

/**
 * A Map whose entries are worked out from stored data when asked for, until something changes it:
 * then it makes every entry and is an ordinary Map from there on. MiniSearch changes its document
 * maps only when documents are added or removed, which a loaded engine never does.
 */
abstract class ComputedMap<K, V> extends Map<K, V> {
  #made = false;

  /** The value of `key`, or undefined when there is none. */
  protected abstract find(key: K): V | undefined;
  /** Whether there is an entry for `key`. */
  protected abstract contains(key: K): boolean;
  /** Every entry, in order. */
  protected abstract all(): Generator<[K, V]>;
  protected abstract readonly count: number;

  #make(): void {
    if (this.#made) return;
    const entries = [...this.all()];
    this.#made = true;
    for (const [key, value] of entries) super.set(key, value);
  }

  override get size(): number {
    return this.#made ? super.size : this.count;
  }
  override get(key: K): V | undefined {
    return this.#made ? super.get(key) : this.find(key);
  }
  override has(key: K): boolean {
    return this.#made ? super.has(key) : this.contains(key);
  }
  override set(key: K, value: V): this {
    this.#make();
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.#make();
    return super.delete(key);
  }
  override clear(): void {
    this.#made = true;
    super.clear();
  }
  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
  override entries(): MapIterator<[K, V]> {
    return this.#made ? super.entries() : this.all();
  }
  override keys(): MapIterator<K> {
    if (this.#made) return super.keys();
    const entries = this.all();
    return (function* keys() {
      for (const [key] of entries) yield key;
    })() as unknown as MapIterator<K>;
  }
  override values(): MapIterator<V> {
    if (this.#made) return super.values();
    const entries = this.all();
    return (function* values() {
      for (const [, value] of entries) yield value;
    })() as unknown as MapIterator<V>;
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}

/** Where each article's paragraphs stand among the index's documents, which are numbered in article order. */
class StoredDocuments {
  /** The first document of each article, and the total after the last. */
  readonly #firsts: Int32Array;
  readonly #ids: readonly string[];
  readonly #byId = new Map<string, number>();

  /** `articles` in index order, with their numbers of paragraphs (read without making the paragraphs). */
  constructor(articles: readonly { readonly id: string; readonly paragraphs: number }[]) {
    this.#firsts = new Int32Array(articles.length + 1);
    this.#ids = articles.map((article) => article.id);
    articles.forEach((article, a) => {
      this.#firsts[a + 1] = (this.#firsts[a] ?? 0) + article.paragraphs;
      this.#byId.set(article.id, a);
    });
  }

  get count(): number {
    return this.#firsts[this.#ids.length] ?? 0;
  }

  /** The article holding document `doc` (binary search over the articles' first documents). */
  #articleOf(doc: number): number {
    let low = 0;
    let high = this.#ids.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#firsts[middle] ?? 0) <= doc) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  contains(doc: number): boolean {
    return Number.isInteger(doc) && doc >= 0 && doc < this.count;
  }

  /** The document's id, `articleId#number`. */
  idOf(doc: number): string | undefined {
    if (!this.contains(doc)) return undefined;
    const article = this.#articleOf(doc);
    return documentId(this.#ids[article] ?? '', doc - (this.#firsts[article] ?? 0) + 1);
  }

  /** The document an id names, if it names one. */
  docOf(id: string): number | undefined {
    const parts = splitDocumentId(id);
    const article = parts === undefined ? undefined : this.#byId.get(parts.articleId);
    if (parts === undefined || article === undefined) return undefined;
    const written = parts.number;
    const number = Number(written);
    const first = this.#firsts[article] ?? 0;
    const paragraphs = (this.#firsts[article + 1] ?? 0) - first;
    return Number.isInteger(number) && number >= 1 && number <= paragraphs && String(number) === written ? first + number - 1 : undefined;
  }
}

/** MiniSearch's document ids by internal id, for a decoded index. */
class StoredDocumentIds extends ComputedMap<number, string> {
  constructor(private readonly documents: StoredDocuments) {
    super();
  }
  protected get count(): number {
    return this.documents.count;
  }
  protected find(doc: number): string | undefined {
    return this.documents.idOf(doc);
  }
  protected contains(doc: number): boolean {
    return this.documents.contains(doc);
  }
  protected *all(): Generator<[number, string]> {
    for (let doc = 0; doc < this.documents.count; doc += 1) yield [doc, this.documents.idOf(doc) ?? ''];
  }
}

/** MiniSearch's internal ids by document id, for a decoded index. */
class StoredShortIds extends ComputedMap<string, number> {
  constructor(private readonly documents: StoredDocuments) {
    super();
  }
  protected get count(): number {
    return this.documents.count;
  }
  protected find(id: string): number | undefined {
    return this.documents.docOf(id);
  }
  protected contains(id: string): boolean {
    return this.documents.docOf(id) !== undefined;
  }
  protected *all(): Generator<[string, number]> {
    for (let doc = 0; doc < this.documents.count; doc += 1) yield [this.documents.idOf(doc) ?? '', doc];
  }
}

/** MiniSearch's field lengths by internal id (an array by field id), for a decoded index. */
class StoredFieldLengths extends ComputedMap<number, number[]> {
  /**
   * @param lengths each document's field lengths, in `fieldIds` order
   * @param fieldIds MiniSearch's field id of each column
   */
  constructor(
    private readonly lengths: Uint32Array,
    private readonly fieldIds: readonly number[],
    protected readonly count: number,
  ) {
    super();
  }
  protected find(doc: number): number[] | undefined {
    if (!this.contains(doc)) return undefined;
    const out: number[] = [];
    this.fieldIds.forEach((fieldId, f) => {
      out[fieldId] = this.lengths[doc * this.fieldIds.length + f] ?? 0;
    });
    return out;
  }
  protected contains(doc: number): boolean {
    return Number.isInteger(doc) && doc >= 0 && doc < this.count;
  }
  protected *all(): Generator<[number, number[]]> {
    for (let doc = 0; doc < this.count; doc += 1) yield [doc, this.find(doc) ?? []];
  }
}

async function decodeIndex(
  meta: Header['index'],
  labels: readonly string[],
  postings: Uint32Array,
  fieldLengths: Uint32Array,
  metas: readonly ArticleMeta[],
  turns: Turns,
): Promise<MiniSearch> {
  const index = new MiniSearch(miniSearchOptions());
  const state = index as unknown as IndexState;
  const fieldNames = miniSearchOptions().fields;
  ensure(JSON.stringify(meta.fieldIds) === JSON.stringify(state._fieldIds), 'fields differ');
  ensure(meta.nextId === meta.documentCount && fieldLengths.length === meta.nextId * fieldNames.length, 'document counts differ');
  const fieldIds = fieldNames.map((field) => state._fieldIds[field] ?? 0);

  // Document ids and field lengths are worked out when asked for (StoredDocuments): making 110,000
  // id strings, length arrays and three Maps of them at load was most of a reload's collection work.
  const copied = await copyInSlices(fieldLengths, turns);
  const documents = new StoredDocuments(metas);
  ensure(documents.count === meta.nextId, 'articles and index disagree on the number of paragraphs');
  state._documentIds = new StoredDocumentIds(documents);
  state._idToShortId = new StoredShortIds(documents);
  state._fieldLength = new StoredFieldLengths(copied, fieldIds, documents.count);
  state._documentCount = meta.documentCount;
  state._nextId = meta.nextId;
  state._avgFieldLength = meta.averageFieldLength;
  state._dirtCount = 0;

  let at = 0;
  let labelAt = 0;
  let termCount = 0;
  const fieldCount = Object.keys(meta.fieldIds).length;
  const readData = (): TermData => {
    const fields = postings[at] ?? 0;
    ensure(fields >= 1 && fields <= fieldCount, 'posting data inconsistent');
    at += 1;
    const data: TermData = new Map();
    for (let f = 0; f < fields; f += 1) {
      const fieldId = postings[at] ?? fieldCount;
      const count = postings[at + 1] ?? 0;
      at += 2;
      ensure(fieldId < fieldCount && at + 2 * count <= postings.length, 'posting data inconsistent');
      for (let i = at; i < at + count; i += 1) ensure((postings[i] ?? meta.nextId) < meta.nextId, 'posting for an unknown document');
      const freqs = new LazyPostings(postings.subarray(at, at + 2 * count), count);
      at += 2 * count;
      data.set(fieldId, freqs);
    }
    termCount += 1;
    return data;
  };
  /** Reads a node's entries; returns the child nodes still to read, in the order they were written. */
  const readNode = (node: TreeNode): TreeNode[] => {
    const size = postings[at] ?? 0;
    at += 1;
    const children: TreeNode[] = [];
    for (let i = 0; i < size; i += 1) {
      const label = labels[labelAt];
      ensure(label !== undefined, 'term tree truncated');
      labelAt += 1;
      if (label === LEAF) {
        node.set(label, readData());
      } else {
        const child: TreeNode = new Map();
        node.set(label, child);
        children.push(child);
      }
    }
    return children;
  };
  const root: TreeNode = new Map();
  const stack: TreeNode[] = [root];
  while (stack.length > 0) {
    const children = readNode(stack.pop() as TreeNode);
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as TreeNode);
    if (turns.spent()) await turns.next();
  }
  ensure(at === postings.length && labelAt === labels.length && termCount === meta.terms, 'term data has leftovers');
  state._index._tree = root;
  state._index._size = undefined;
  return index;
}
