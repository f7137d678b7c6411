import { readFile } from 'node:fs/promises';
import { parseArticle } from '../corpus/parse.js';
import type { Article } from '../corpus/types.js';
import { fold } from '../text/fold.js';

interface SquadFile {
  data: { title: string; paragraphs: { context: string }[] }[];
}

/**
 * The articles of a SQuAD JSON file as the corpus would hold them: the title with underscores as
 * spaces, the paragraphs in order with their whitespace collapsed (as `../shared/eval/squad/README.md`
 * describes). Nothing is written to disk.
 */
export async function readSquadArticles(file: string): Promise<Article[]> {
  const squad = JSON.parse(await readFile(file, 'utf8')) as SquadFile;
  return squad.data.map((entry, i) => {
    const title = entry.title.replace(/_/g, ' ');
    const body = entry.paragraphs.map((p) => p.context.replace(/\s+/g, ' ').trim()).join('\n\n');
    const id = `squad-${i + 1}-${fold(title)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`;
    return parseArticle(`${file}#${id}.md`, `---\ntitle: ${JSON.stringify(title)}\nid: ${JSON.stringify(id)}\n---\n\n${body}\n`);
  });
}
