import path from 'node:path';
import { loadConfig, logLevel } from '../config.js';
import { runMain } from './entry.js';
import { openLibraryLogged } from '../library.js';
import { createLogger } from '../logger.js';
import { formatReport, readQuestions, score } from '../eval/metrics.js';
import { plainMiniSearch, readSquad, scoreSquad, totals, type SquadOutcome, type SquadTotals } from '../eval/squad.js';
import { EMPTY_ALIASES, loadAliases, type AliasTable } from '../search/aliases.js';
import { SearchEngine, type Answer } from '../search/engine.js';
import { SemanticRanker } from '../search/semantic/ranker.js';
import { askInTwoStages } from '../search/semantic/two-stage.js';
import { openCorpus } from '../search/open.js';

const USAGE = `usage: npm run eval -- QUESTIONS.jsonl [--no-aliases] [--verbose]
       npm run eval -- --squad SQUAD.json [--library] [--aliases CORPUS_DIR] [--verbose]
The bot's configuration is measured: with its semantic stage unless SEMANTIC=off, and beside it
the lexical ranker alone.
`;

interface Args {
  readonly files: string[];
  readonly squad: string | null;
  readonly library: boolean;
  readonly verbose: boolean;
  readonly noAliases: boolean;
  readonly aliasesDir: string | null;
}

function parseArgs(argv: readonly string[]): Args | null {
  const args: Args = { files: [], squad: null, library: false, verbose: false, noAliases: false, aliasesDir: null };
  const out = args as { -readonly [K in keyof Args]: Args[K] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--squad' || arg === '--aliases') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return null;
      if (arg === '--squad') out.squad = value;
      else out.aliasesDir = value;
      i += 1;
    } else if (arg === '--library') out.library = true;
    else if (arg === '--verbose') out.verbose = true;
    else if (arg === '--no-aliases') out.noAliases = true;
    else if (arg.startsWith('--')) return null;
    else out.files.push(arg);
  }
  if (args.squad === null ? args.files.length !== 1 : args.files.length !== 0) return null;
  return args;
}

const f = (x: number): string => x.toFixed(3);
const pct = (n: number, of: number): string => `${of === 0 ? '0.0' : ((100 * n) / of).toFixed(1)} %`;

function squadRow(name: string, t: SquadTotals): string {
  return `${name.padEnd(14)}${f(t.passageAt1)}      ${f(t.passageAt3)}      ${f(t.sentenceAt1)}       ${pct(t.falseAbstentions, t.answerable).padEnd(16)}  ${t.abstainedUnanswerable} / ${t.unanswerable}`;
}

function squadLines(
  label: string,
  t: SquadTotals,
  lexical: SquadTotals | null,
  msPerQuestion: number,
  baseline: { passageAt1: number; passageAt3: number },
): string[] {
  return [
    `${label}: ${t.answerable} answerable, ${t.unanswerable} unanswerable, ${msPerQuestion.toFixed(2)} ms a question`,
    `              passage@1  passage@3  sentence@1  false abstention  abstained on unanswerable`,
    squadRow(lexical === null ? 'bot (words)' : 'bot', t),
    ...(lexical === null ? [] : [squadRow('words alone', lexical)]),
    `MiniSearch    ${f(baseline.passageAt1)}      ${f(baseline.passageAt3)}      —           0 %               0 / ${t.unanswerable}`,
  ];
}

/**
 * The bot's semantic stage as configured (SEMANTIC), with no deadline and no shedding: a measurement waits for every
 * vector. Its vectors are kept apart from the bot's (`CACHE_DIR/eval-sentence-vectors.bin`, up to
 * 100,000), so a second run over the same files embeds nothing and the bot's file holds its corpus only.
 */
function semanticStage(): SemanticRanker | undefined {
  const config = loadConfig();
  if (!config.SEMANTIC) return undefined;
  const file = path.join(config.CACHE_DIR, 'eval-sentence-vectors.bin');
  return SemanticRanker.open(config.CACHE_DIR, undefined, { file, limit: 100_000, deadlineMs: 3_600_000, backlogTexts: Infinity });
}

/** Answers as the bot does: the lexical ranker's passages, re-ranked when the semantic stage is on. */
async function answer(engine: SearchEngine, semantic: SemanticRanker | undefined, question: string): Promise<[Answer, Answer]> {
  const { lexical, rerank } = askInTwoStages(engine, semantic, question, { top: 3 });
  return [rerank === null ? lexical : await rerank(), lexical];
}

/** Runs a SQuAD file: each article alone as the whole corpus, or all of them as one library. */
async function runSquad(args: Args): Promise<number> {
  const file = args.squad ?? '';
  const { articles, questions } = await readSquad(file);
  const aliases: AliasTable = args.aliasesDir === null ? EMPTY_ALIASES : await loadAliases(args.aliasesDir);
  const groups = args.library ? [articles] : articles.map((article) => [article]);
  const outcomes: SquadOutcome[] = [];
  let askMs = 0;
  let baseline1 = 0;
  let baseline3 = 0;
  const perArticle: string[] = [];
  const semantic = semanticStage();
  const lexical: SquadOutcome[] = [];
  for (const group of groups) {
    const ids = new Set(group.map((a) => a.id));
    const asked = questions.filter((q) => ids.has(q.articleId));
    const engine = SearchEngine.build(group, aliases);
    // Sentences embedded ahead of questions, as the bot does at start-up: not counted in ms a question.
    await semantic?.warm(group);
    const started = performance.now();
    const mine: SquadOutcome[] = [];
    for (const q of asked) {
      const [bot, words] = await answer(engine, semantic, q.question);
      mine.push(scoreSquad(q, bot));
      lexical.push(scoreSquad(q, words));
    }
    askMs += performance.now() - started;
    outcomes.push(...mine);
    const base = plainMiniSearch(group, asked);
    const answerable = asked.filter((q) => q.answers.length > 0).length;
    baseline1 += base.passageAt1 * answerable;
    baseline3 += base.passageAt3 * answerable;
    if (!args.library) {
      const t = totals(mine);
      perArticle.push(
        `${(group[0]?.title ?? '').slice(0, 34).padEnd(34)} ${String(t.answerable).padStart(4)} ${f(t.passageAt1)} ${f(t.passageAt3)} ${f(t.sentenceAt1)} ${String(t.falseAbstentions).padStart(3)} ${String(t.abstainedUnanswerable).padStart(4)}/${t.unanswerable}  base ${f(base.passageAt1)} ${f(base.passageAt3)}`,
      );
    }
  }
  const all = totals(outcomes);
  if (args.verbose) {
    for (const o of outcomes) {
      const q = o.question;
      const where = o.got === null ? 'abstained' : `${o.got.articleId} ¶${o.got.paragraph}: ${o.got.sentence.slice(0, 90)}`;
      if (q.answers.length === 0) {
        if (!o.abstained) process.stderr.write(`answered unanswerable ${q.id} ${q.question} → ${where}\n`);
      } else if (!o.sentenceAt1) {
        const kind = o.abstained ? 'abstained' : o.passageAt1 ? 'sentence' : 'passage';
        process.stderr.write(`miss ${kind} ${q.id} ${q.question} [¶${q.paragraph}: ${q.answers[0]}] → ${where}\n`);
      }
    }
    if (perArticle.length > 0) {
      process.stdout.write(`article                            ans  p@1   p@3   s@1   fa  abst\n${perArticle.join('\n')}\n\n`);
    }
  }
  const n = Math.max(1, all.answerable);
  const label = `${file}, ${articles.length} articles ${args.library ? 'as one library' : 'each alone'}`;
  process.stdout.write(
    `${squadLines(label, all, semantic === undefined ? null : totals(lexical), askMs / Math.max(1, outcomes.length), {
      passageAt1: baseline1 / n,
      passageAt3: baseline3 / n,
    }).join('\n')}\n`,
  );
  await semantic?.close();
  return 0;
}

/** `npm run eval`: answer-quality metrics on a project question file, or on a SQuAD file. */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args === null) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (args.squad !== null) return runSquad(args);
  const file = args.files[0] ?? '';
  const config = loadConfig();
  const logger = createLogger({ level: logLevel(config, 'person'), pretty: false, destination: 2 });
  // The library as the bot opens it (from the index cache); without aliases it is built afresh.
  const engine = args.noAliases
    ? SearchEngine.build((await openCorpus(config.CORPUS_DIR)).articles, EMPTY_ALIASES)
    : (await openLibraryLogged(config.CORPUS_DIR, config.CACHE_DIR, logger.child({ module: 'corpus' }))).engine;
  const questions = await readQuestions(file);
  const semantic = semanticStage();
  await semantic?.warm(engine.articles.values());
  const started = performance.now();
  const answers: Answer[] = [];
  const lexical: Answer[] = [];
  for (const question of questions) {
    const [bot, words] = await answer(engine, semantic, question.q);
    answers.push(bot);
    lexical.push(words);
  }
  const ms = (performance.now() - started) / Math.max(1, questions.length);
  await semantic?.close();
  const report = score(questions, answers);
  if (args.verbose) for (const miss of report.misses) process.stderr.write(`miss ${miss.id} ${miss.q} → ${miss.problem}\n`);
  const heading = `${questions.length} questions from ${file}${args.noAliases ? ', without aliases' : ''}, ${ms.toFixed(2)} ms a question`;
  const words = semantic === undefined ? '' : `\nthe lexical ranker alone (SEMANTIC=off):\n${formatReport(score(questions, lexical))}\n`;
  process.stdout.write(`${heading}${semantic === undefined ? ' (SEMANTIC=off)' : ''}\n${formatReport(report)}\n${words}`);
  return 0;
}

runMain(() => main(process.argv.slice(2)));
