/**
 * `npm run brief -- ARTICLE` prints the article "in brief": three to five of its own sentences chosen
 * by centrality and position (src/study/brief.ts), each with its ¶. ARTICLE is an id or title in
 * CORPUS_DIR, an article file, or `SQUAD.json#N`. `--json` prints one JSON object.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { runMain } from './entry.js';
import { brief } from '../study/brief.js';
import { articleForCli } from '../study/source.js';

const USAGE = 'usage: npm run brief -- [--json] ARTICLE   (an id or title in the corpus, a .md file, or SQUAD.json#N)\n';

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: 'boolean' } } });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const name = parsed.positionals.join(' ');
  if (name === '') {
    process.stderr.write(USAGE);
    return 2;
  }
  const found = await articleForCli(name, loadConfig().CORPUS_DIR);
  if (!found) return 2;
  const sentences = brief(found.article);
  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify({ article: { id: found.article.id, title: found.article.title }, brief: sentences })}\n`);
    return 0;
  }
  process.stdout.write(`${found.article.title} — in brief\n\n`);
  for (const s of sentences) process.stdout.write(`• ${s.text} (¶${s.paragraph}${s.section ? ` · ${s.section}` : ''})\n`);
  return 0;
}

runMain(() => main(process.argv.slice(2)));
