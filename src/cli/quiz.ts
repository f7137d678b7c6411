/**
 * `npm run quiz -- --check [TARGET…]` generates 100 quiz items per article and checks each mechanically
 * (see src/study/check.ts); TARGET is a corpus folder (default CORPUS_DIR), an article file or a SQuAD
 * JSON file. Exit code 0 when every item passes, 1 when any fails, 2 for bad arguments.
 * `npm run quiz -- [--seed N] [--questions N] ARTICLE` prints one quiz, the answers marked.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { runMain } from './entry.js';
import { buildDirectory } from '../entities/index.js';
import { CHECKS, checkArticle, type ArticleCheck } from '../study/check.js';
import { MAX_QUESTIONS, makeQuiz } from '../study/quiz.js';
import { articleForCli, openReadings } from '../study/source.js';

const USAGE =
  'usage: npm run quiz -- --check [CORPUS_DIR | ARTICLE.md | SQUAD.json …]\n       npm run quiz -- [--seed N] [--questions N] ARTICLE\n';

function blanked(sentence: string, start: number, end: number): string {
  return `${sentence.slice(0, start)}＿＿＿＿${sentence.slice(end)}`;
}

async function check(targets: readonly string[]): Promise<number> {
  const results: ArticleCheck[] = [];
  for (const target of targets) {
    const readings = await openReadings(target);
    const shared = readings.alone ? null : buildDirectory(readings.articles);
    for (const article of readings.articles) {
      const result = checkArticle(article, shared ?? buildDirectory([article]));
      results.push(result);
      const failed = Object.entries(result.failures).map(([name, n]) => `${name}: ${n}`);
      process.stdout.write(
        `${result.passed}/${result.items} pass · ${result.distinct} distinct · ¶ covered ${result.paragraphsCovered}/${result.paragraphs} · ${result.title}${failed.length ? `\n    FAILED ${failed.join('; ')}` : ''}\n`,
      );
      for (const { check: name, item } of result.examples) {
        process.stderr.write(
          `    ${name}: ¶${item.paragraph} “${blanked(item.sentence, item.start, item.end)}” [${item.options.join(' | ')}]\n`,
        );
      }
    }
  }
  const items = results.reduce((sum, r) => sum + r.items, 0);
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const none = results.filter((r) => r.items === 0).length;
  const short = results.filter((r) => r.items > 0 && r.items < 100).length;
  const kinds: Record<string, number> = {};
  for (const r of results) for (const [kind, n] of Object.entries(r.kinds)) kinds[kind] = (kinds[kind] ?? 0) + n;
  const coverage = results.filter((r) => r.items > 0).map((r) => r.paragraphsCovered / r.paragraphs);
  const meanCoverage = coverage.length ? coverage.reduce((a, b) => a + b, 0) / coverage.length : 0;
  process.stdout.write(
    `\n${results.length} articles · ${items} items · ${passed} pass every check (${items ? ((100 * passed) / items).toFixed(1) : '0.0'}%) · ` +
      `${none} made no quiz · ${short} made fewer than 100\n` +
      `mean share of paragraphs asked about: ${(100 * meanCoverage).toFixed(0)}% · kinds: ${Object.entries(kinds)
        .sort((a, b) => b[1] - a[1])
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ')}\n` +
      CHECKS.map((name) => `  ${name}: ${results.reduce((sum, r) => sum + (r.failures[name] ?? 0), 0)} failures`).join('\n') +
      '\n',
  );
  return passed === items ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { check: { type: 'boolean' }, seed: { type: 'string' }, questions: { type: 'string' } },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (parsed.values.check) return check(parsed.positionals.length > 0 ? parsed.positionals : [config.CORPUS_DIR]);
  const name = parsed.positionals.join(' ');
  const seed = Number(parsed.values.seed ?? Date.now() % 1_000_000);
  const questions = Number(parsed.values.questions ?? 5);
  if (name === '' || !Number.isInteger(seed) || !Number.isInteger(questions) || questions < 1 || questions > MAX_QUESTIONS) {
    process.stderr.write(USAGE);
    return 2;
  }
  const found = await articleForCli(name, config.CORPUS_DIR);
  if (!found) return 2;
  const quiz = makeQuiz(found.article, buildDirectory(found.library), seed, questions);
  if (quiz.length === 0) process.stdout.write('This reading is too short to make a quiz from.\n');
  quiz.forEach((item, i) => {
    process.stdout.write(`\n${i + 1}. ${blanked(item.sentence, item.start, item.end)}\n`);
    item.options.forEach((option, j) => process.stdout.write(`   ${j === item.answer ? '*' : ' '} ${'ABCD'[j]}. ${option}\n`));
    process.stdout.write(`   (${found.article.title}${item.section ? ` · ${item.section}` : ''} · ¶${item.paragraph})\n`);
  });
  process.stdout.write(`\nseed ${seed}\n`);
  return 0;
}

runMain(() => main(process.argv.slice(2)));
