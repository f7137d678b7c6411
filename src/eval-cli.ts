import { loadConfig, logLevel } from './config.js';
import { runMain } from './cli/entry.js';
import { openLibraryLogged } from './library.js';
import { createLogger } from './logger.js';
import { formatReport, readQuestions, score } from './eval/metrics.js';

/** `npm run eval -- FILE [--verbose]`: answer-quality metrics of the corpus on a question file. */
async function main(argv: readonly string[]): Promise<number> {
  const files = argv.filter((arg) => !arg.startsWith('--'));
  const file = files[0];
  if (file === undefined || files.length > 1) {
    process.stderr.write('usage: npm run eval -- QUESTIONS.jsonl [--verbose]\n');
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger({ level: logLevel(config, 'person'), pretty: false, destination: 2 });
  const { engine } = await openLibraryLogged(config.CORPUS_DIR, config.CACHE_DIR, logger.child({ module: 'corpus' }));
  const questions = await readQuestions(file);
  const report = score(
    questions,
    questions.map((question) => engine.ask(question.q)),
  );
  if (argv.includes('--verbose')) for (const miss of report.misses) process.stderr.write(`miss ${miss.id} ${miss.q} → ${miss.problem}\n`);
  process.stdout.write(`${questions.length} questions from ${file}\n${formatReport(report)}\n`);
  return 0;
}

runMain(() => main(process.argv.slice(2)));
