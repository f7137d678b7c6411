/**
 * `npm run map -- ARTICLE out.png` draws the map of who appears with whom in ARTICLE (an id or title
 * in CORPUS_DIR, a .md file, or `SQUAD.json#N`) and writes it as a PNG; `out.svg` writes the SVG.
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { runMain } from './entry.js';
import { buildDirectory } from '../entities/index.js';
import { renderMap } from '../study/picture.js';
import { articleForCli } from '../study/source.js';

const USAGE = 'usage: npm run map -- ARTICLE OUT.png   (ARTICLE: an id or title in the corpus, a .md file, or SQUAD.json#N)\n';

async function main(argv: readonly string[]): Promise<number> {
  const out = argv.at(-1);
  const name = argv.slice(0, -1).join(' ');
  if (argv.length < 2 || !out || !/\.(png|svg)$/i.test(out)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const found = await articleForCli(name, loadConfig().CORPUS_DIR);
  if (!found) return 2;
  const picture = await renderMap(found.article, buildDirectory(found.library));
  await writeFile(out, /\.svg$/i.test(out) ? picture.svg : picture.png);
  process.stderr.write(
    `${out}: ${picture.width}×${picture.height}, ${picture.graph.nodes.length} names, ${picture.graph.edges.length} links${picture.graph.omitted ? `, ${picture.graph.omitted} names left off` : ''}\n`,
  );
  return 0;
}

runMain(() => main(process.argv.slice(2)));
