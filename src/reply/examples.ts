import type { Article } from '../corpus/types.js';

/**
 * Example inputs shown to users (/help, the console greeting, the article card, the reply to an
 * empty question), taken from the corpus so they always fit the articles being read.
 */
export interface Examples {
  /** A question the article answers: its front matter's first `examples:` entry, else one made from a heading. */
  readonly question: string;
  /** A name for /who-is: the person (else the entry) the article mentions most; null when it names none. */
  readonly name: string | null;
  /** A paragraph number the article has. */
  readonly paragraph: number;
}

/** A heading that already reads as a question: "What Kim Wants in Return", "Why It Matters". */
const QUESTION_START = /^(what|who|whom|whose|why|how|when|where|which)\b/i;

/** The example question for one article: listed in its front matter, or made from its first heading. */
export function exampleQuestion(article: Article): string {
  const listed = article.examples[0];
  if (listed !== undefined) return listed;
  const heading = article.sections[0]?.title.replace(/[\s?.!:;,]+$/, '');
  if (heading !== undefined && heading !== '') {
    return QUESTION_START.test(heading) ? `${heading}?` : `What does the article say about ${heading}?`;
  }
  return `What is “${article.title}” about?`;
}

/**
 * The examples for one article. `names` are the names the article mentions, most mentioned first;
 * the paragraph is ¶3 (past the opening) when the article is that long.
 */
export function examplesFor(article: Article | undefined, names: readonly string[]): Examples {
  if (article === undefined) return { question: 'What is the article about?', name: null, paragraph: 1 };
  return { question: exampleQuestion(article), name: names[0] ?? null, paragraph: Math.min(3, article.paragraphs.length) };
}
