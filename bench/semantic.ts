import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { openCorpus } from '../src/search/open.js';
import { SearchEngine } from '../src/search/engine.js';
import { WorkerEmbedder } from '../src/search/semantic/embedder.js';
import { SemanticRanker } from '../src/search/semantic/ranker.js';
import { askInTwoStages } from '../src/search/semantic/two-stage.js';
import { benchQuestions } from './questions.js';
import type { Latency } from './size.js';

/**
 * What the semantic stage costs: `node --import tsx bench/semantic.ts CORPUS_DIR OUT.json`. In one
 * process: the encoder's thread started and its model loaded (to the first vector), the corpus's
 * sentences embedded ahead of questions, then the same questions answered by the lexical ranker alone
 * and with re-ranking (vectors known), and once more over sentences not embedded yet (a fresh store),
 * as a question over a large corpus costs. Memory is the process's RSS before and after.
 */

/** What one run measures; times in milliseconds. */
export interface SemanticResult {
  readonly sentences: number;
  readonly modelReadyMs: number;
  readonly warmMsPerSentence: number;
  readonly lexical: Latency;
  readonly reranked: Latency;
  readonly cold: Latency;
  readonly rssBeforeMB: number;
  readonly rssAfterMB: number;
  readonly diskMB: number;
}

function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0, count: sorted.length };
}

async function main(corpusDir: string, out: string): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const { articles, aliases } = await openCorpus(corpusDir);
  const engine = SearchEngine.build(articles, aliases);
  const questions = benchQuestions(articles, 20240917, 200).map((q) => q.q);

  let started = performance.now();
  const embedder = new WorkerEmbedder();
  await embedder.embed(['warm-up']);
  const modelReadyMs = performance.now() - started;

  const ranker = new SemanticRanker(embedder, { deadlineMs: 60_000 });
  const sentences = articles.reduce((sum, a) => sum + a.paragraphs.reduce((n, p) => n + p.sentences.length, 0), 0);
  started = performance.now();
  await ranker.warm(articles);
  const warmMsPerSentence = (performance.now() - started) / Math.max(1, Math.min(sentences, ranker.vectors.size));

  const lexical: number[] = [];
  const reranked: number[] = [];
  for (const question of questions) {
    let t = performance.now();
    engine.ask(question, { top: 3 });
    lexical.push(performance.now() - t);
    t = performance.now();
    await askInTwoStages(engine, ranker, question, { top: 3 }).rerank?.();
    reranked.push(performance.now() - t);
  }
  const rssAfter = process.memoryUsage().rss;

  // Over sentences not embedded yet: each question embeds itself and the pool's sentences.
  const fresh = new SemanticRanker(embedder, { deadlineMs: 60_000 });
  const cold: number[] = [];
  for (const question of questions.map((q) => `${q} (again)`)) {
    const t = performance.now();
    await askInTwoStages(engine, fresh, question, { top: 3 }).rerank?.();
    cold.push(performance.now() - t);
    if (cold.length === 50) break;
  }
  await embedder.close();

  const du = execFileSync('du', ['-sk', 'node_modules/@energetic-ai'], { encoding: 'utf8' });
  const result: SemanticResult = {
    sentences,
    modelReadyMs: Math.round(modelReadyMs),
    warmMsPerSentence,
    lexical: latency(lexical),
    reranked: latency(reranked),
    cold: latency(cold),
    rssBeforeMB: rssBefore / 1024 / 1024,
    rssAfterMB: rssAfter / 1024 / 1024,
    diskMB: Number(du.split('\t')[0]) / 1024,
  };
  await writeFile(out, JSON.stringify(result));
}

const [corpusDir, out] = process.argv.slice(2);
if (!corpusDir || !out) throw new Error('usage: bench/semantic.ts CORPUS_DIR OUT.json');
await main(corpusDir, out);
