import { createInterface } from 'node:readline';
import { loadConfig, logLevel } from '../config.js';
import { runMain } from './entry.js';
import { openLibraryLogged } from '../library.js';
import { createLogger } from '../logger.js';
import { formatAnswerText, type CoverageHint } from '../reply/plain.js';
import type { Answer, SearchEngine } from '../search/engine.js';

const USAGE =
  'usage: npm run ask -- [--json] [--top N] [--article ID] "QUESTION"\n       npm run ask -- --json < questions.txt   (one question a line)\n';

/** The JSON object `ask --json` prints for one question. */
export function answerJson(answer: Answer) {
  return {
    query: answer.query,
    abstained: answer.abstained,
    answers: answer.passages.map((p) => ({
      article: { id: p.article.id, title: p.article.title },
      paragraph: p.paragraph,
      section: p.section,
      text: p.text,
      sentence: p.sentence.text,
      score: p.score,
    })),
  };
}

interface AskArgs {
  readonly json: boolean;
  readonly top: number;
  readonly articleId: string | undefined;
  readonly question: string | undefined;
}

function parseArgs(argv: readonly string[]): AskArgs | string {
  let json = false;
  let top = 3;
  let articleId: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--top') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 50) return '--top takes a whole number from 1 to 50';
      top = value;
    } else if (arg === '--article') {
      articleId = argv[++i];
      if (articleId === undefined) return '--article takes an article id';
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else words.push(arg);
  }
  return { json, top, articleId, question: words.length > 0 ? words.join(' ') : undefined };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  // As the bot opens it: from the index cache, so a question at 10,000 articles needs no rebuild.
  const logger = createLogger({ level: logLevel(config, 'person'), pretty: false, destination: 2 });
  const { engine } = await openLibraryLogged(config.CORPUS_DIR, config.CACHE_DIR, logger.child({ module: 'corpus' }));
  if (args.articleId !== undefined && !engine.articles.has(args.articleId)) {
    process.stderr.write(`No article with id '${args.articleId}'. Articles: ${[...engine.articles.keys()].join(', ')}\n`);
    return 2;
  }
  const ask = (question: string): Answer =>
    engine.ask(question, { top: args.top, ...(args.articleId === undefined ? {} : { articleId: args.articleId }) });
  if (args.question !== undefined) {
    const answer = ask(args.question);
    process.stdout.write(
      args.json
        ? `${JSON.stringify(answerJson(answer))}\n`
        : `${formatAnswerText(answer, hints(engine), { color: Boolean(process.stdout.isTTY) })}\n`,
    );
    return 0;
  }
  if (!args.json) {
    process.stderr.write(`Give a question, or use --json to read questions from standard input.\n${USAGE}`);
    return 2;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    process.stdout.write(`${JSON.stringify(answerJson(ask(line)))}\n`);
  }
  return 0;
}

function hints(engine: SearchEngine): CoverageHint[] {
  return [...engine.articles.values()].map((article) => ({ title: article.title, sections: article.sections.map((s) => s.title) }));
}

runMain(() => main(process.argv.slice(2)));
