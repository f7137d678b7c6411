import type { Article } from './types.js';

/**
 * An article as plain data, every paragraph and sentence made. An article read from the engine cache
 * makes its paragraphs when first read, and a copy for another thread (or a spread) takes only an
 * object's own fields; this is what such a copy, or a comparison, should be given.
 */
export function plainArticle(article: Article): Article {
  return {
    ...article,
    paragraphs: article.paragraphs.map(({ articleId, number, section, text, sentences }) => ({ articleId, number, section, text, sentences })),
  };
}
