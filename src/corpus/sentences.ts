import type { Sentence } from './types.js';

/**
 * Titles that always precede a name, so a period after them never ends a sentence
 * ("Gen. Smith", "Dr. Lee").
 */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'gen', 'col', 'lt', 'sgt', 'capt', 'cmdr', 'adm', 'maj',
  'gov', 'sen', 'rep', 'pres', 'hon', 'rev', 'st', 'sr', 'jr', 'messrs', 'mme', 'mlle', 'amb', 'supt',
]);

/**
 * Abbreviations that usually sit inside a sentence but can end one; they end it only when the
 * next word is a typical sentence opener.
 */
const ABBREVIATIONS = new Set([
  'vs', 'etc', 'inc', 'corp', 'ltd', 'co', 'no', 'nos', 'fig', 'approx', 'dept', 'est', 'vol',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'mt', 'ft', 'km', 'mi', 'al', 'cf', 'ca', 'op', 'pp', 'ed', 'eds', 'univ', 'assn', 'bros',
]);

/** Words that open sentences; after an abbreviation or acronym they signal a real boundary. */
const OPENERS = new Set([
  'a', 'an', 'the', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those',
  'but', 'and', 'or', 'so', 'yet', 'in', 'on', 'at', 'for', 'however', 'meanwhile', 'still',
  'there', 'his', 'her', 'its', 'their', 'our', 'my', 'what', 'when', 'where', 'why', 'how', 'who',
  'if', 'as', 'after', 'before', 'while', 'since', 'although', 'then', 'moreover', 'furthermore',
  'ultimately', 'officials', 'some', 'many', 'most', 'both', 'each', 'such', 'one', 'no', 'not',
]);

const TERMINATORS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»']);
const OPENING_PUNCTUATION = /^["'“‘([«]+/;

/** A run of single letters joined by periods: initials and acronyms such as "J", "U.S", "U.N". */
const DOTTED_LETTERS = /^(?:\p{L}\.)*\p{L}$/u;

function wordBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && !/\s/.test(text[start - 1] ?? ' ')) start -= 1;
  return text.slice(start, end).replace(OPENING_PUNCTUATION, '');
}

function wordAfter(text: string, start: number): string {
  const match = /^["'“‘([«]*([\p{L}\p{N}]+)/u.exec(text.slice(start, start + 40));
  return match?.[1] ?? '';
}

/** Whether the period at `dot` belongs to the word before it rather than ending the sentence. */
function periodIsPartOfWord(text: string, dot: number, nextWordStart: number): boolean {
  const word = wordBefore(text, dot);
  if (word === '') return false;
  // "..." written out, or an ellipsis character before the period, ends a thought like any period.
  if (/\.$/.test(word) && !DOTTED_LETTERS.test(word.replace(/\.$/, ''))) return false;
  const bare = word.toLowerCase();
  const next = wordAfter(text, nextWordStart).toLowerCase();
  if (TITLES.has(bare)) return true;
  if (DOTTED_LETTERS.test(word) || ABBREVIATIONS.has(bare)) return !OPENERS.has(next);
  return false;
}

/**
 * Splits a paragraph into sentences. Unlike `Intl.Segmenter`, keeps "former U.S. President
 * Donald Trump", "U.N. resolutions", initials ("Donald J. Trump") and titles ("Gen. Smith")
 * inside their sentence; decimals never split because no space follows their point.
 */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  const push = (end: number): void => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed !== '') {
      const from = start + lead;
      sentences.push({ index: sentences.length, text: trimmed, start: from, end: from + trimmed.length });
    }
    start = end;
  };

  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] ?? '';
    if (!TERMINATORS.has(ch)) continue;
    let end = i + 1;
    while (end < text.length && (TERMINATORS.has(text[end] ?? '') || CLOSERS.has(text[end] ?? ''))) end += 1;
    if (end < text.length && !/\s/.test(text[end] ?? '')) continue;
    let next = end;
    while (next < text.length && /\s/.test(text[next] ?? '')) next += 1;
    if (next >= text.length) break;
    const following = text[next] ?? '';
    // A lower-case continuation ("e.g. the", "said “no!” and left") is the same sentence.
    if (/\p{Ll}/u.test(following)) continue;
    if (ch === '.' && end === i + 1 && periodIsPartOfWord(text, i, next)) continue;
    push(end);
    i = end - 1;
  }
  push(text.length);
  return sentences;
}
