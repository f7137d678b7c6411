import { readFile, stat, writeFile } from 'node:fs/promises';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { TitleAutocomplete } from '../src/search/autocomplete.js';
import { cacheFile, corpusKey, decodeEngine, saveEngine } from '../src/search/cache.js';
import { buildDirectory } from '../src/entities/index.js';
import { buildEngineAsync, miniSearchOptions, paragraphDocument, SearchEngine } from '../src/search/engine.js';
import { openCorpus } from '../src/search/open.js';
import { benchQuestions, typedPrefixes } from './questions.js';

/**
 * One corpus size of the benchmark, run in a fresh process (`--expose-gc`) so heaps do not add up:
 * `node --expose-gc --import tsx bench/size.ts CORPUS_DIR CACHE_DIR OUT.json [--no-json-index]`.
 * Writes its measurements as JSON to OUT.json; bench/run.ts reads and tabulates them.
 */

/** Latency summary in milliseconds. */
export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** What one size measures; every time in milliseconds. */
export interface SizeResult {
  readonly articles: number;
  readonly paragraphs: number;
  readonly parseMs: number;
  readonly buildMs: number;
  readonly buildAsyncMs: number;
  /** Building the /who-is entity directory in place (the bot does it in a worker beyond 200 articles). */
  readonly directoryMs: number;
  readonly directoryEntries: number;
  /** Longest the event loop waited during the async build: how long a heartbeat could be late. */
  readonly buildAsyncMaxStallMs: number;
  readonly heapAfterBuildMB: number;
  readonly cacheBytes: number;
  readonly saveMs: number;
  readonly loadMs: number;
  /** MiniSearch's own serialisation, for comparison (null when skipped). */
  readonly json: {
    readonly chars: number;
    readonly stringifyMs: number;
    readonly loadJSONMs: number;
    readonly loadJSONAsyncMs: number;
    readonly articlesParseMs: number;
  } | null;
  /** Questions a cache-loaded engine answered differently from the built one (should be 0). */
  readonly cacheMismatches: number;
  readonly ask: Latency;
  readonly askInArticle: Latency;
  readonly baseline: Latency;
  readonly autocomplete: Latency;
  /** /who-is name autocomplete over the entity directory, with the same kind of typed prefixes. */
  readonly whoIsAutocomplete: Latency;
  readonly answered: Readonly<Record<string, { readonly answered: number; readonly of: number }>>;
}

const round = (ms: number, digits = 2): number => Math.round(ms * 10 ** digits) / 10 ** digits;

function summarise(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest-rank percentiles: p99 of 520 samples is the 515th fastest.
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: round(at(0.5), 3), p99: round(at(0.99), 3), max: round(sorted.at(-1) ?? 0, 3) };
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const value = run();
  return [value, performance.now() - start];
}

async function timeAsync<T>(run: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await run();
  return [value, performance.now() - start];
}

function heapMB(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return round(process.memoryUsage().heapUsed / 1024 / 1024, 1);
}

/**
 * Times `run` on every input after a warm-up, so the JIT's first compilations are not counted; with a
 * budget, stops once it is spent (after at least `minimum` inputs), for runs that take seconds each.
 */
function latencies<T>(
  inputs: readonly T[],
  run: (input: T) => unknown,
  warmup = 20,
  budgetMs = Number.POSITIVE_INFINITY,
  minimum = 30,
): number[] {
  for (const input of inputs.slice(0, warmup)) run(input);
  const samples: number[] = [];
  let spent = 0;
  for (const input of inputs) {
    if (spent > budgetMs && samples.length >= minimum) break;
    const ms = time(() => run(input))[1];
    samples.push(ms);
    spent += ms;
  }
  return samples;
}

/**
 * Plain MiniSearch takes seconds a question at 10,000 articles (prefix search expands "a" and "I" to
 * every term they begin), so its questions are timed until this budget is spent: the first ones of
 * the same shuffled mix. The table gives how many.
 */
const BASELINE_BUDGET_MS = 90_000;

async function main(argv: readonly string[]): Promise<void> {
  const [corpusDir, cacheDir, out] = argv;
  if (corpusDir === undefined || cacheDir === undefined || out === undefined)
    throw new Error('usage: bench/size.ts CORPUS_DIR CACHE_DIR OUT.json [--no-json-index]');

  const [{ articles, aliases }, parseMs] = await timeAsync(() => openCorpus(corpusDir));
  const [engine, buildMs] = time(() => SearchEngine.build(articles, aliases));
  // The bot holds the entity directory beside the index, so the heap is measured with both.
  const [directory, directoryMs] = time(() => buildDirectory(articles));
  const heapAfterBuildMB = heapMB();
  // Beside the engine just built, as in a bot reloading its corpus: the old engine stays until the new one is ready.
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const [, buildAsyncMs] = await timeAsync(() => buildEngineAsync(articles, aliases));
  delay.disable();
  const paragraphs = engine.index.documentCount;
  const questions = benchQuestions(articles, 20240917);

  const key = await corpusKey(corpusDir);
  const [file, saveMs] = await timeAsync(() => saveEngine(engine, cacheDir, key, corpusDir));
  const cacheBytes = (await stat(file)).size;
  const bytes = await readFile(cacheFile(cacheDir, key));
  const [loaded, loadMs] = await timeAsync(() => decodeEngine(bytes, key, corpusDir));
  const cacheMismatches = questions.slice(0, 200).filter(({ q }) => JSON.stringify(engine.ask(q)) !== JSON.stringify(loaded.ask(q))).length;

  let json: SizeResult['json'] = null;
  if (!argv.includes('--no-json-index')) {
    const [text, stringifyMs] = time(() => JSON.stringify(engine.index));
    const [, loadJSONMs] = time(() => MiniSearch.loadJSON(text, miniSearchOptions()));
    const [, loadJSONAsyncMs] = await timeAsync(() => MiniSearch.loadJSONAsync(text, miniSearchOptions()));
    const articlesJson = JSON.stringify(articles);
    const [, articlesParseMs] = time(() => JSON.parse(articlesJson) as unknown);
    json = {
      chars: text.length,
      stringifyMs: round(stringifyMs),
      loadJSONMs: round(loadJSONMs),
      loadJSONAsyncMs: round(loadJSONAsyncMs),
      articlesParseMs: round(articlesParseMs),
    };
  }

  const ask = latencies(questions, ({ q }) => engine.ask(q));
  const answered: Record<string, { answered: number; of: number }> = {};
  for (const { q, kind } of questions) {
    const tally = (answered[kind] ??= { answered: 0, of: 0 });
    tally.of += 1;
    if (!engine.ask(q).abstained) tally.answered += 1;
  }
  const scoped = questions.filter((question) => question.articleId !== undefined);
  const askInArticle = latencies(scoped, ({ q, articleId }) => engine.ask(q, articleId === undefined ? {} : { articleId }));

  const titles = new TitleAutocomplete(articles.map((article) => ({ value: article.id, name: article.title })));
  const autocomplete = latencies(typedPrefixes(articles, 7), (typed) => titles.suggest(typed));
  const whoIsAutocomplete = latencies(typedPrefixes(articles, 8), (typed) => directory.autocomplete(typed));

  // The baseline: plain MiniSearch over the same paragraphs, default tokenizer, fuzzy and prefix on every term.
  const baselineIndex = new MiniSearch({ fields: ['text', 'section', 'title'], searchOptions: { fuzzy: 0.2, prefix: true } });
  baselineIndex.addAll(articles.flatMap((article) => article.paragraphs.map((paragraph) => paragraphDocument(article, paragraph))));
  const baseline = latencies(questions, ({ q }) => baselineIndex.search(q), 5, BASELINE_BUDGET_MS);

  const result: SizeResult = {
    articles: articles.length,
    paragraphs,
    parseMs: round(parseMs),
    buildMs: round(buildMs),
    buildAsyncMs: round(buildAsyncMs),
    directoryMs: round(directoryMs),
    directoryEntries: directory.entries.length,
    buildAsyncMaxStallMs: round(delay.max / 1e6),
    heapAfterBuildMB,
    cacheBytes,
    saveMs: round(saveMs),
    loadMs: round(loadMs),
    json,
    cacheMismatches,
    ask: summarise(ask),
    askInArticle: summarise(askInArticle),
    baseline: summarise(baseline),
    autocomplete: summarise(autocomplete),
    whoIsAutocomplete: summarise(whoIsAutocomplete),
    answered,
  };
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
}

await main(process.argv.slice(2));
