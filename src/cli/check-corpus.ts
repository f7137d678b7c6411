import { loadConfig } from '../config.js';
import { runMain } from './entry.js';
import { corpusWarnings } from '../search/corpus-warnings.js';
import { CorpusLoadError, openCorpus } from '../search/open.js';

/** `npm run check:corpus [DIR]`: every corpus file parses; each problem is printed with its file (and line). */
async function main(argv: readonly string[]): Promise<number> {
  const dir = argv[0] ?? loadConfig().CORPUS_DIR;
  try {
    const { articles } = await openCorpus(dir);
    const paragraphs = articles.reduce((sum, article) => sum + article.paragraphs.length, 0);
    for (const warning of corpusWarnings(articles)) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`${dir}: ${articles.length} article${articles.length === 1 ? '' : 's'}, ${paragraphs} paragraphs, no problems\n`);
    return 0;
  } catch (err) {
    if (err instanceof CorpusLoadError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

runMain(() => main(process.argv.slice(2)));
