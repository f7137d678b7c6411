import type { Article } from '../corpus/types.js';
import { buildDirectory, type Directory } from '../entities/index.js';

const built = new WeakMap<Article, Directory>();

/**
 * The people, places and organisations of one article, for the study tools. Built from that article
 * alone (a server's readings are not in the corpus's directory) and kept while the article lives:
 * a reload makes new article objects, so a changed article is read afresh.
 */
export function articleDirectory(article: Article): Directory {
  let directory = built.get(article);
  if (directory === undefined) {
    directory = buildDirectory([article]);
    built.set(article, directory);
  }
  return directory;
}
