import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CorpusError, decodeUtf8, parseArticle } from './parse.js';
import { readCorpusFile } from './read.js';
import type { Article } from './types.js';

/** The articles of a corpus folder, and every file that could not be used. */
export interface CorpusLoad {
  readonly articles: readonly Article[];
  readonly errors: readonly CorpusError[];
}

/** Article files are Markdown; anything else in the folder (aliases, notes) is not an article. */
export function isArticleFile(name: string): boolean {
  return /\.(md|markdown)$/i.test(name) && !name.startsWith('.') && !/^readme\./i.test(name);
}

/** Reads and parses one article file, turning every failure into a {@link CorpusError}. */
export async function readArticle(file: string): Promise<Article> {
  return parseArticle(file, decodeUtf8(file, await readCorpusFile(file)));
}

/**
 * Loads every article file in `dir`, in file-name order. Problems are collected, not thrown,
 * so one run reports them all; a duplicate article id is an error on the later file.
 */
export async function loadCorpus(dir: string): Promise<CorpusLoad> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isArticleFile).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { articles: [], errors: [new CorpusError(dir, code === 'ENOENT' ? 'corpus folder does not exist' : `corpus folder cannot be read (${code ?? String(err)})`)] };
  }
  const articles: Article[] = [];
  const errors: CorpusError[] = [];
  const seen = new Map<string, string>();
  const results = await Promise.allSettled(names.map((name) => readArticle(path.join(dir, name))));
  for (const result of results) {
    if (result.status === 'rejected') {
      errors.push(result.reason instanceof CorpusError ? result.reason : new CorpusError(dir, String(result.reason)));
      continue;
    }
    const article = result.value;
    const first = seen.get(article.id);
    if (first !== undefined) {
      errors.push(new CorpusError(article.file, `duplicate article id '${article.id}' (already used by ${first}); set a different 'id' in the front matter`));
      continue;
    }
    seen.set(article.id, article.file);
    articles.push(article);
  }
  if (names.length === 0) errors.push(new CorpusError(dir, 'corpus folder has no article files (*.md)'));
  return { articles, errors };
}
