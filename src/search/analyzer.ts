import { stemmer } from 'stemmer';
import { foldMapped } from '../text/fold.js';
import { QUESTION_FRAME_WORDS, STOP_WORDS } from './stopwords.js';

/** A word of the text as the index sees it: its stem, and where it stands in the original text. */
export interface Token {
  readonly term: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Upper-case acronyms become one word before folding, so "U.S." does not fall apart into "U" and a
 * possessive-like "S". "U.S."/"US"/"USA" all become "usa", which cannot collide with the pronoun "us".
 */
function normaliseAcronyms(text: string): string {
  return text
    .replace(/\bU\.S\.(?:A\.)?|\bU\.?S\.?A\b|\bUS\b/g, (m) => 'usa'.padEnd(m.length, ' '))
    .replace(/\b(?:\p{Lu}\.){2,}/gu, (m) => m.replace(/\./g, '').toLowerCase().padEnd(m.length, ' '));
}

/** A word, or a number with its thousands grouped ("30,000"), which is one figure, as "30000" is. */
const WORD = /\d{1,3}(?:,\d{3})+(?![\d,])|[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*'?/gu;
const MAX_WORD_LENGTH = 40;
/** The commas that group a number's thousands, dropped from its term. */
const GROUPING = /(?<=\d),(?=\d{3})/g;

/** Reduces a folded word to its index term, or null for a stop word or a word too long to be real. */
export function termOf(word: string): string | null {
  const bare = word.replace(/'s$|'$/, '').replace(GROUPING, '');
  if (bare === '' || bare.length > MAX_WORD_LENGTH || STOP_WORDS.has(bare)) return null;
  return stemmer(bare.replace(/'/g, ''));
}

/**
 * Splits text into index terms with their offsets in the original text, so highlights and the
 * sentence a word belongs to can be found later. The acronym step keeps string length; folding
 * reports where each of its characters came from.
 */
export function tokenize(text: string): Token[] {
  const folded = foldMapped(normaliseAcronyms(text));
  const tokens: Token[] = [];
  for (const match of folded.text.matchAll(WORD)) {
    const parts = match[0].includes('-') ? splitHyphenated(match[0], match.index) : [{ word: match[0], at: match.index }];
    for (const { word, at } of parts) {
      const term = termOf(word);
      if (term === null) continue;
      tokens.push({ term, ...folded.source(at, at + word.length) });
    }
  }
  return tokens;
}

function splitHyphenated(word: string, at: number): { word: string; at: number }[] {
  const parts: { word: string; at: number }[] = [];
  let offset = at;
  for (const part of word.split('-')) {
    if (part !== '') parts.push({ word: part, at: offset });
    offset += part.length + 1;
  }
  return parts;
}

/** Index terms of a text, in order. */
export function terms(text: string): string[] {
  return tokenize(text).map((token) => token.term);
}

/** A content word of a question: its index term and the folded word as typed. */
export interface QuestionTerm {
  readonly term: string;
  readonly word: string;
}

/** A content word of a question with what its typing says about it. */
export interface QuestionWord extends QuestionTerm {
  /** Typed with a capital (not as the question's first word), or all digits: a name, a year, a figure. */
  readonly marked: boolean;
  /** The letters as typed when they were all capitals ("NYC"), else null: an acronym may stand for a name. */
  readonly acronym: string | null;
}

/**
 * Content words of a question (like {@link terms}, without the words that only frame it), each
 * marked when its typing singles it out as a name or a figure ("Scheele", "1773", "NATO"), which a
 * reading either has or does not.
 */
export function questionWords(text: string): QuestionWord[] {
  const folded = foldMapped(normaliseAcronyms(text));
  const kept: QuestionWord[] = [];
  let first = true;
  for (const match of folded.text.matchAll(WORD)) {
    let offset = match.index;
    for (const part of match[0].split('-')) {
      const at = offset;
      offset += part.length + 1;
      const typedWord = part.replace(/'s$|'$/, '');
      const word = typedWord.replace(GROUPING, '');
      const isFirst = first;
      first = false;
      if (word === '' || QUESTION_FRAME_WORDS.has(word)) continue;
      const term = termOf(word);
      if (term === null) continue;
      const range = folded.source(at, at + typedWord.length);
      const typed = text.slice(range.start, range.end);
      const capital = /^\p{Lu}/u.test(typed) && (!isFirst || /^\p{Lu}{2,}$/u.test(typed));
      const acronym = /^\p{Lu}{2,6}$/u.test(typed) ? typed : null;
      kept.push({ term, word, marked: capital || /^\d+$/.test(word), acronym });
    }
  }
  return kept;
}
