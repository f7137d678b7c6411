import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateCorpus, REAL_ALIASES, REAL_ARTICLE, WordSampler } from './generate.js';
import type { LiveReloadResult, ProbeSpell } from './live-reload.js';
import type { ReloadResult } from './reload.js';
import type { SemanticResult } from './semantic.js';
import type { Latency, SizeResult } from './size.js';
import type { StartRun } from './start.js';

/**
 * `npm run bench [-- --quick] [-- --keep]`: builds corpora of 1, 100, 1,000 and 10,000 articles
 * (1 and 100 with --quick), measures each in a fresh process, and writes bench/results/latest.{md,json}
 * (latest-quick.{md,json} with --quick). --keep leaves the generated corpora in the temporary folder.
 * Targets, judged at 10,000 articles: ask p99 under 50 ms and at most half plain MiniSearch's,
 * heap under 500 MB; from spawning `npm start` with a warm cache, the gateway IDENTIFY within 2.5 s
 * and the first /ask answered within 3 s. `npm start` runs the build, so the bench builds first.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = path.join(ROOT, 'bench', 'results');
const SEED = 1;
const COLD_RUNS = 3;
const COLD_QUESTION = 'What does North Korea want in return from Russia?';

interface ColdStart {
  /** Medians over {@link COLD_RUNS} runs of `npm start`, from spawn. */
  readonly identifyMs: number;
  readonly answerMs: number;
  readonly runs: readonly StartRun[];
}

interface SizeReport extends SizeResult {
  readonly generateMs: number;
  readonly coldStart: ColdStart;
  readonly reload: ReloadResult;
  /** /help answered by `npm start` while it reloads an edited corpus, from outside (bench/live-reload.ts). */
  readonly liveReload: LiveReloadResult;
  /** Measured at the sizes whose sentences embed in a minute or two ({@link SEMANTIC_SIZES}). */
  readonly semantic: SemanticResult | null;
}

/** Sizes the semantic stage is measured at: embedding every sentence of 1,000 articles would take ~10 minutes. */
const SEMANTIC_SIZES = new Set([1, 100]);

interface Target {
  readonly name: string;
  readonly limit: string;
  readonly measured: string;
  readonly pass: boolean | null;
}

function run(args: readonly string[], capture: boolean): Promise<{ stdout: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ stdout, ms });
      else reject(new Error(`${args.join(' ')} exited with ${code}`));
    });
  });
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const mega = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const pair = (latency: Latency): string => `${latency.p50.toFixed(2)} / ${latency.p99.toFixed(2)}`;
const probeSpell = (spell: ProbeSpell): string =>
  `${spell.p50Ms.toFixed(0)} / ${spell.p99Ms.toFixed(0)} / ${spell.maxMs.toFixed(0)} (${spell.probes}${spell.lost > 0 ? `, ${spell.lost} lost` : ''})`;

async function measureSize(articles: number, work: string, words: WordSampler): Promise<SizeReport> {
  const corpusDir = path.join(work, `corpus-${articles}`);
  const cacheDir = path.join(work, `cache-${articles}`);
  const generated = performance.now();
  await generateCorpus(corpusDir, { articles, seed: SEED, realArticle: REAL_ARTICLE, aliases: REAL_ALIASES, words });
  const generateMs = performance.now() - generated;
  process.stderr.write(`  ${articles} articles: generated in ${seconds(generateMs)} s; measuring…\n`);

  const out = path.join(work, `result-${articles}.json`);
  await run(['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', 'bench/size.ts', corpusDir, cacheDir, out], false);
  const result = JSON.parse(await readFile(out, 'utf8')) as SizeResult;

  // In a process of its own, as the live reload below: this one's collector would count against the bot.
  const startOut = path.join(work, `start-${articles}.json`);
  await run(['--import', 'tsx', 'bench/start.ts', corpusDir, cacheDir, String(COLD_RUNS), COLD_QUESTION, startOut], true);
  const runs = JSON.parse(await readFile(startOut, 'utf8')) as StartRun[];
  if (!runs.every((r) => r.answered)) throw new Error('npm start did not answer the /ask question');
  const coldStart = {
    identifyMs: Math.round(median(runs.map((r) => r.identifyMs))),
    answerMs: Math.round(median(runs.map((r) => r.answerMs))),
    runs: runs.map((r) => ({ ...r, identifyMs: Math.round(r.identifyMs), answerMs: Math.round(r.answerMs) })),
  };
  // Last: it edits the corpus, as a live edit would.
  const reloadOut = path.join(work, `reload-${articles}.json`);
  await run(['--max-old-space-size=4096', '--import', 'tsx', 'bench/reload.ts', corpusDir, cacheDir, reloadOut], false);
  const reload = JSON.parse(await readFile(reloadOut, 'utf8')) as ReloadResult;
  // In a process of its own too: the probes are timed there, and this one's collector would count against the bot.
  const liveOut = path.join(work, `live-reload-${articles}.json`);
  await run(['--import', 'tsx', 'bench/live-reload.ts', corpusDir, cacheDir, liveOut], true);
  const liveReload = JSON.parse(await readFile(liveOut, 'utf8')) as LiveReloadResult;
  let semantic: SemanticResult | null = null;
  if (SEMANTIC_SIZES.has(articles)) {
    const semanticOut = path.join(work, `semantic-${articles}.json`);
    await run(['--import', 'tsx', 'bench/semantic.ts', corpusDir, semanticOut], false);
    semantic = JSON.parse(await readFile(semanticOut, 'utf8')) as SemanticResult;
  }
  return { ...result, generateMs: Math.round(generateMs), coldStart, reload, liveReload, semantic };
}

function targets(reports: readonly SizeReport[]): Target[] {
  const large = reports.find((report) => report.articles === 10_000);
  if (large === undefined) {
    return [
      'ask p99',
      'ask p99 vs baseline',
      'autocomplete p99',
      'heap after build',
      'npm start to IDENTIFY',
      'npm start to first answer',
      'reload stall',
      'reply while reloading',
    ].map((name) => ({
      name,
      limit: 'at 10,000 articles',
      measured: 'not run (--quick)',
      pass: null,
    }));
  }
  const ratio = large.ask.p99 / large.baseline.p99;
  return [
    { name: 'ask p99', limit: '< 50 ms', measured: `${large.ask.p99.toFixed(1)} ms`, pass: large.ask.p99 < 50 },
    {
      name: 'ask p99 vs baseline p99',
      limit: '≤ 0.5×',
      measured: `${ratio.toFixed(3)}× (${large.ask.p99.toFixed(1)} / ${large.baseline.p99.toFixed(1)} ms)`,
      pass: ratio <= 0.5,
    },
    {
      name: 'autocomplete p99 (article titles, /who-is names)',
      limit: '< 5 ms',
      measured: `${large.autocomplete.p99.toFixed(2)} ms, ${large.whoIsAutocomplete.p99.toFixed(2)} ms`,
      pass: large.autocomplete.p99 < 5 && large.whoIsAutocomplete.p99 < 5,
    },
    {
      name: 'heap after build',
      limit: '< 500 MB',
      measured: `${large.heapAfterBuildMB.toFixed(0)} MB`,
      pass: large.heapAfterBuildMB < 500,
    },
    {
      name: '`npm start` (warm cache) to gateway IDENTIFY',
      limit: '≤ 2.5 s',
      measured: `${seconds(large.coldStart.identifyMs)} s`,
      pass: large.coldStart.identifyMs <= 2500,
    },
    {
      name: '`npm start` (warm cache) to first /ask answered',
      limit: '≤ 3 s',
      measured: `${seconds(large.coldStart.answerMs)} s`,
      pass: large.coldStart.answerMs <= 3000,
    },
    {
      name: 'longest event-loop stall during a reload (edited corpus; unchanged, from cache)',
      limit: '< 100 ms',
      measured: `${large.reload.changedMaxStallMs} ms; ${large.reload.cachedMaxStallMs} ms`,
      pass: Math.max(large.reload.changedMaxStallMs, large.reload.cachedMaxStallMs) < 100,
    },
    {
      name: '`npm start`: slowest /help reply while it reloads an edited corpus, from outside (none lost)',
      limit: '< 100 ms',
      measured: `${large.liveReload.reloading.maxMs.toFixed(0)} ms of ${large.liveReload.reloading.probes}, ${large.liveReload.reloading.lost} lost (quiet: ${large.liveReload.quiet.maxMs.toFixed(0)} ms)`,
      pass: large.liveReload.reloading.maxMs < 100 && large.liveReload.reloading.lost === 0,
    },
  ];
}

function markdown(reports: readonly SizeReport[], goals: readonly Target[], meta: Record<string, string | number>): string {
  const lines = [
    '# Benchmark: search engine at scale',
    '',
    `${meta.date} · ${meta.cpu} × ${meta.cores} · Node ${meta.node} · \`${meta.command}\` · total ${meta.totalSeconds} s`,
    '',
    '## Index and start-up',
    '',
    '| articles | paragraphs | parse s | build s | async build s (max stall ms) | entity directory s | heap after build MB | cache MB | save s | load s | MiniSearch loadJSON / loadJSONAsync s | npm start → IDENTIFY / first answer s |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...reports
      .map((r) =>
        [
          r.articles.toLocaleString('en-US'),
          r.paragraphs.toLocaleString('en-US'),
          seconds(r.parseMs),
          seconds(r.buildMs),
          `${seconds(r.buildAsyncMs)} (${r.buildAsyncMaxStallMs.toFixed(0)})`,
          seconds(r.directoryMs),
          r.heapAfterBuildMB.toFixed(0),
          mega(r.cacheBytes),
          seconds(r.saveMs),
          seconds(r.loadMs),
          r.json === null ? '–' : `${seconds(r.json.loadJSONMs)} / ${seconds(r.json.loadJSONAsyncMs)}`,
          `${seconds(r.coldStart.identifyMs)} / ${seconds(r.coldStart.answerMs)}`,
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    '## Latency, ms (p50 / p99)',
    '',
    '| articles | ask (questions) | ask in one article | baseline MiniSearch (questions) | p99 ratio ask / baseline | autocomplete (25 titles) | /who-is autocomplete |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...reports.map(
      (r) =>
        `| ${r.articles.toLocaleString('en-US')} | ${pair(r.ask)} (${r.ask.count}) | ${pair(r.askInArticle)} | ${pair(r.baseline)} (${r.baseline.count}) | ${(r.ask.p99 / r.baseline.p99).toFixed(3)} | ${pair(r.autocomplete)} | ${pair(r.whoIsAutocomplete)} |`,
    ),
    '',
    '## Reload while answering',
    '',
    '| articles | edited corpus: reload s (longest stall ms) | unchanged corpus, from cache: reload s (longest stall ms) | `npm start` edited four times: reload s | its /help replies while reloading, p50 / p99 / max ms (probes) | the same while quiet |',
    '|---:|---:|---:|---:|---:|---:|',
    ...reports.map(
      (r) =>
        `| ${r.articles.toLocaleString('en-US')} | ${seconds(r.reload.changedMs)} (${r.reload.changedMaxStallMs}) | ${seconds(r.reload.cachedMs)} (${r.reload.cachedMaxStallMs}) | ${r.liveReload.reloadMs.map(seconds).join(', ')} | ${probeSpell(r.liveReload.reloading)} | ${probeSpell(r.liveReload.quiet)} |`,
    ),
    '',
    '## Semantic stage (SEMANTIC=on, the default)',
    '',
    '| articles | sentences | encoder ready s | embedding ms a sentence | ask, words alone | ask, re-ranked (vectors known) | ask, re-ranked (sentences not yet embedded) | RSS before / after MB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...reports.flatMap((r) =>
      r.semantic === null
        ? []
        : [
            `| ${r.articles.toLocaleString('en-US')} | ${r.semantic.sentences.toLocaleString('en-US')} | ${seconds(r.semantic.modelReadyMs)} | ${r.semantic.warmMsPerSentence.toFixed(1)} | ${pair(r.semantic.lexical)} | ${pair(r.semantic.reranked)} | ${pair(r.semantic.cold)} | ${r.semantic.rssBeforeMB.toFixed(0)} / ${r.semantic.rssAfterMB.toFixed(0)} |`,
          ],
    ),
    '',
    `On disk: ${reports.find((r) => r.semantic !== null)?.semantic?.diskMB.toFixed(0) ?? '–'} MB (node_modules/@energetic-ai). Times are what a question waits for in all (\`bench/semantic.ts\`): the lexical ranker, and for the re-ranked columns its 10 best passages re-ranked in the encoder's thread, with the corpus's sentences embedded ahead of questions, or not (a fresh store: the question and up to 10 sentences embedded then).`,
    '',
    '## Targets (at 10,000 articles)',
    '',
    '| target | limit | measured | result |',
    '|---|---|---|---|',
    ...goals.map(
      (goal) => `| ${goal.name} | ${goal.limit} | ${goal.measured} | ${goal.pass === null ? '–' : goal.pass ? 'PASS' : 'FAIL'} |`,
    ),
    '',
    '## Notes',
    '',
    '- Corpora: the real article as #1 plus generated articles of 9–13 paragraphs, words drawn by SUBTLEX-US frequency (bench/generate.ts, seed 1).',
    '- Questions: the shared and project question sets, paragraph excerpts of 2–15 words, excerpts with typos, nonsense-word questions; shuffled, 20 warm-up questions not counted.',
    '- Baseline: plain MiniSearch over the same paragraphs, default tokenizer, `{ fuzzy: 0.2, prefix: true }`; it takes seconds a question at 10,000 articles, so it answers the same shuffled questions until 90 s are spent (count in brackets).',
    '- Heap: `heapUsed` after two forced GCs with the index and the entity directory built, each size in its own process. Start: median of 3 runs of `npm start` (after one untimed run that warms the caches), timed from spawn to the IDENTIFY and to the first /ask answer received by the fake Discord server (test/support/fakeDiscord.ts).',
    "- Reload: `bench/reload.ts` opens the corpus as start-up does and keeps it in a `LiveLibrary`, as the bot does, appends a paragraph to one article, reloads as the running bot does (`LiveLibrary.reload` with `openLibraryOffThread`: parse, index, entity directory and both caches in a worker thread; this thread decodes a slice per turn) and swaps the new library in, then reloads the unchanged corpus (from the cache the first reload wrote) the same way. Stalls count until 3 s after each swap, while the old library is collected; reload seconds end at the swap. Longest stall: the larger of the longest gap between 5 ms timer ticks and `monitorEventLoopDelay`'s maximum, minus the 5 ms; on a shared machine other processes' load shows in it.",
    "- Reload as a user feels it: `bench/live-reload.ts` runs `npm start` (WATCH_CORPUS on, the semantic stage on, as shipped) against the fake Discord server, waits 8 s past start-up, sends a /help every 50 ms and times each from its dispatch to the bot's reply reaching the server: 5 s quiet, then four edits of one article, each until the bot logs 'corpus reloaded' and 3 s more. It measures from outside, in a process of its own (as `npm start` is timed too), so the bench process's pauses do not count; its own delays on a loaded machine do (`benchLagMs` in the JSON).",
    `- Answered (not abstained) at the largest size: ${Object.entries(reports.at(-1)?.answered ?? {})
      .map(([kind, tally]) => `${kind} ${tally.answered}/${tally.of}`)
      .join(
        ', ',
      )}. Cache-loaded engine answered differently on ${reports.reduce((sum, r) => sum + r.cacheMismatches, 0)} questions (of 200 per size).`,
    '',
  ];
  return lines.join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const started = performance.now();
  const quick = argv.includes('--quick');
  const keep = argv.includes('--keep');
  const sizes = quick ? [1, 100] : [1, 100, 1_000, 10_000];
  const work = await mkdtemp(path.join(os.tmpdir(), 'qa-bench-'));
  process.stderr.write(`bench: sizes ${sizes.join(', ')} in ${work}\n`);
  // Interrupted, the generated corpora (45 MB at 10,000 articles) should not stay behind.
  process.once('SIGINT', () => {
    if (!keep) void rm(work, { recursive: true, force: true }).finally(() => process.exit(130));
    else process.exit(130);
  });
  const reports: SizeReport[] = [];
  // `npm start` runs the compiled bot: build it from these sources first.
  await new Promise<void>((resolve, reject) =>
    spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' }).on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`)),
    ),
  );
  try {
    const words = new WordSampler();
    for (const size of sizes) reports.push(await measureSize(size, work, words));
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
  }
  const goals = targets(reports);
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const command =
    process.env.npm_lifecycle_event === 'bench'
      ? `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`
      : `tsx bench/run.ts ${argv.join(' ')}`.trim();
  const totalSeconds = Math.round((performance.now() - started) / 1000);
  const meta = { date: new Date().toISOString(), cpu, cores: os.cpus().length, node: process.versions.node, command, totalSeconds };
  const table = markdown(reports, goals, meta);
  await mkdir(RESULTS, { recursive: true });
  // A quick run does not overwrite the full run's results.
  const name = quick ? 'latest-quick' : 'latest';
  await writeFile(path.join(RESULTS, `${name}.md`), table);
  await writeFile(
    path.join(RESULTS, `${name}.json`),
    `${JSON.stringify({ ...meta, quick, seed: SEED, sizes: reports, targets: goals }, null, 2)}\n`,
  );
  process.stdout.write(`${table}\n`);
}

await main(process.argv.slice(2));
