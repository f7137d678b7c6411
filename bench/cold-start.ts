import { performance } from 'node:perf_hooks';
import { openLibraryCached } from '../src/library.js';

/**
 * Cold start to first answer, as bench/run.ts times it from outside (spawn to exit):
 * `node --import tsx bench/cold-start.ts CORPUS_DIR CACHE_DIR QUESTION`. Prints what it saw inside.
 */
const importsMs = performance.now();
const [corpusDir, cacheDir, question] = process.argv.slice(2);
if (corpusDir === undefined || cacheDir === undefined || question === undefined) {
  process.stderr.write('usage: bench/cold-start.ts CORPUS_DIR CACHE_DIR QUESTION\n');
  process.exit(2);
}
// The same open as `npm start`: search index and entity directory, from their caches.
const opened = await openLibraryCached(corpusDir, cacheDir);
const asked = performance.now();
const answer = opened.library.engine.ask(question);
const askMs = performance.now() - asked;
process.stdout.write(
  `${JSON.stringify({ fromCache: opened.fromCache, importsMs: Math.round(importsMs), openMs: opened.ms, askMs: Math.round(askMs), answered: !answer.abstained })}\n`,
);
