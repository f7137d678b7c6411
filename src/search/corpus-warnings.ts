import { SCORING } from './score.js';
import type { Article } from '../corpus/types.js';

/**
 * What is legal in a corpus file but will not work well, one line each: a paragraph so long that only
 * its first characters are scored sentence by sentence (a question must cost a bounded time).
 */
export function corpusWarnings(articles: readonly Article[]): string[] {
  const warnings: string[] = [];
  for (const article of articles) {
    for (const paragraph of article.paragraphs) {
      if (paragraph.text.length > SCORING.maxScan) {
        warnings.push(
          `${article.file}: ¶${paragraph.number} is ${paragraph.text.length.toLocaleString('en')} characters; answers come only from its first ${SCORING.maxScan.toLocaleString('en')} (separate its paragraphs with blank lines)`,
        );
      }
    }
  }
  return warnings;
}
