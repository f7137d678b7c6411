import type { Answer, Passage } from '../search/engine.js';
import { inert, truncate } from './limits.js';

/** How to mark the answering sentence in plain text: ANSI for a terminal, guillemets elsewhere. */
export interface PlainStyle {
  readonly color: boolean;
}

/** Where a passage stands: its article's title, its section (null before the first heading), its ¶. */
export interface Place {
  readonly article: { readonly title: string };
  readonly section: string | null;
  readonly paragraph: number;
}

/**
 * "Title · Section · ¶N": where a passage comes from, in one line — the one format every reply and
 * the terminal use. Past `max` characters the title is shortened first, so the ¶ always shows.
 */
export function attribution(place: Place, max = Number.POSITIVE_INFINITY): string {
  return line(place, max);
}

/**
 * {@link attribution} for a Discord message: a title or section a member wrote (a server's reading)
 * cannot form a mention, and the line still fits `max` characters.
 */
export function attributionInert(place: Place, max = Number.POSITIVE_INFINITY): string {
  return truncate(inert(line(place, max)), max);
}

function line(place: Place, max: number): string {
  const tail = [place.section, `¶${place.paragraph}`].filter((part) => part !== null).join(' · ');
  const full = `${place.article.title} · ${tail}`;
  if (full.length <= max) return full;
  const room = max - tail.length - 3;
  return room >= 2 ? `${truncate(place.article.title, room)} · ${tail}` : truncate(full, max);
}

/** The paragraph with its answering sentence marked. */
export function markSentence(passage: Passage, open: string, close: string): string {
  const { text, sentence } = passage;
  return `${text.slice(0, sentence.start)}${open}${text.slice(sentence.start, sentence.end)}${close}${text.slice(sentence.end)}`;
}

/** What the article covers, for an honest "the article doesn't say". */
export interface CoverageHint {
  readonly title: string;
  readonly sections: readonly string[];
}

/** An answer as a person reads it in a terminal. */
export function formatAnswerText(answer: Answer, hints: readonly CoverageHint[], style: PlainStyle): string {
  const bold = (s: string): string => (style.color ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string): string => (style.color ? `\u001b[2m${s}\u001b[22m` : s);
  if (answer.abstained) {
    const topics = hints.flatMap((hint) => hint.sections.map((section) => `  - ${section} (${hint.title})`));
    const why = answer.reason === 'out-of-scope' ? 'That is outside what any article here can answer.' : "The article doesn't say.";
    return [why, ...(topics.length > 0 ? ['It does cover:', ...topics] : [])].join('\n');
  }
  return answer.passages
    .map((passage, i) => {
      const open = style.color ? '\u001b[1;33m' : '»';
      const close = style.color ? '\u001b[0m' : '«';
      // Said once: the answering sentence marked inside its paragraph, then where it stands.
      return [
        `${bold(`${i + 1}.`)} ${markSentence(passage, open, close)}`,
        `   ${dim(`— ${attribution(passage)}${passage.article.url ? ` <${passage.article.url}>` : ''}`)}`,
      ].join('\n');
    })
    .join('\n\n');
}
