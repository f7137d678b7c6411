import { fold } from '../text/fold.js';
import { EVENT_WORDS, GEO_WORDS, MONTHS_AND_DAYS, ORG_WORDS, STOPWORDS, isTitleHead } from './words.js';

/** What a word or punctuation mark is, wherever it stands: shared by every occurrence of the same text. */
export interface Shape {
  /** The text as written, possessive included ("Shoigu’s"). */
  readonly text: string;
  /** Length of the word without its possessive. */
  readonly length: number;
  /** {@link nameKey} of the word without its possessive: "shoigu", "us" for "U.S.", "ramirez ortega". */
  readonly key: string;
  readonly word: boolean;
  /** A word starting with a lower-case letter. */
  readonly lower: boolean;
  /** Starts with a capital letter and is not an adjective compound such as "Soviet-era". */
  readonly capitalised: boolean;
  /** Written in capitals throughout (at least two letters): "NATO", "U.S.". */
  readonly acronym: boolean;
  readonly possessive: boolean;
  /** A single capital with a period, inside a name: the "J." of "Donald J. Trump". */
  readonly initial: boolean;
  /** For a capitalised compound with a lower-case tail ("Soviet-era", "Santiago-based"), the key of its head. */
  readonly compoundHead: string | null;
  /** A position that introduces a name: "President", "leader", "secretary-general". */
  readonly titleHead: boolean;
  /** Could be a word of a person's name: capitalised, not a title, month, ordinary or institutional word. */
  readonly nameLike: boolean;
}

/**
 * One word or punctuation mark of a sentence. A corpus has millions of tokens but only tens of
 * thousands of distinct words, so a token is its shared {@link Shape} and where it stands.
 */
export class Token {
  constructor(
    readonly shape: Shape,
    /** Offset in the sentence text. */
    readonly start: number,
  ) {}

  /** Offset in the sentence text of the end of the word without its possessive. */
  get end(): number {
    return this.start + this.shape.length;
  }
  get text(): string {
    return this.shape.text;
  }
  get key(): string {
    return this.shape.key;
  }
  get word(): boolean {
    return this.shape.word;
  }
  get lower(): boolean {
    return this.shape.lower;
  }
  get capitalised(): boolean {
    return this.shape.capitalised;
  }
  get acronym(): boolean {
    return this.shape.acronym;
  }
  get possessive(): boolean {
    return this.shape.possessive;
  }
  get initial(): boolean {
    return this.shape.initial;
  }
  get compoundHead(): string | null {
    return this.shape.compoundHead;
  }
  get titleHead(): boolean {
    return this.shape.titleHead;
  }
  get nameLike(): boolean {
    return this.shape.nameLike;
  }
}

/** Per distinct word; a corpus has a few tens of thousands, so the cap only guards against abuse. */
const MEMO_LIMIT = 200_000;
const shapes = new Map<string, Shape>();
const keys = new Map<string, string>();

function remember<V>(memo: Map<string, V>, text: string, make: (text: string) => V): V {
  let value = memo.get(text);
  if (value === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    value = make(text);
    memo.set(text, value);
  }
  return value;
}

const TOKEN = /(?:\p{Lu}\.){2,}|\p{Lu}\.(?=\s+\p{Lu})|[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’‐‑-][\p{L}\p{M}\p{N}]+)*|\S/gu;
const POSSESSIVE = /['’]s$/iu;

/**
 * The form names are compared in: folded (case, accents, quotes), periods and apostrophes dropped,
 * hyphens as spaces, a possessive "’s" and a leading "the" dropped. "Kim Jong-un" and "kim jong un"
 * give "kim jong un"; "U.S." gives "us"; "putin's" gives "putin".
 */
export function nameKey(text: string): string {
  return remember(keys, text, computeNameKey);
}

function computeNameKey(text: string): string {
  const words = fold(text)
    .replace(/'s\b/g, '')
    .replace(/[.'"]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  if (words[0] === 'the' && words.length > 1) words.shift();
  return words.join(' ');
}

/** Splits a sentence into words and punctuation marks. */
export function tokenize(sentence: string): Token[] {
  const tokens: Token[] = [];
  for (const match of sentence.matchAll(TOKEN)) tokens.push(new Token(remember(shapes, match[0], shapeOf), match.index));
  return tokens;
}

function shapeOf(text: string): Shape {
  const word = /^[\p{L}\p{N}]/u.test(text);
  const possessive = word && text.length > 2 && POSSESSIVE.test(text);
  const base = possessive ? text.slice(0, -2) : text;
  const initial = /^\p{Lu}\.$/u.test(text);
  const upperFirst = /^\p{Lu}/u.test(base);
  const parts = base.split(/[‐‑-]/);
  const lowerTail = parts.length > 1 && parts.slice(1).every((part) => /^\p{Ll}/u.test(part));
  const letters = base.replace(/[^\p{L}]/gu, '');
  const key = nameKey(base);
  const capitalised = upperFirst && !lowerTail;
  const acronym = letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  const titleHead = isTitleHead(key);
  const nameLike =
    initial ||
    (word &&
      capitalised &&
      !acronym &&
      !titleHead &&
      !STOPWORDS.has(key) &&
      !MONTHS_AND_DAYS.has(key) &&
      !ORG_WORDS.has(key) &&
      !EVENT_WORDS.has(key) &&
      !GEO_WORDS.has(key));
  return {
    text,
    length: base.length,
    key,
    word: word || initial,
    lower: /^\p{Ll}/u.test(text),
    capitalised,
    acronym,
    possessive,
    initial,
    compoundHead: upperFirst && lowerTail ? nameKey(parts[0] ?? '') : null,
    titleHead,
    nameLike,
  };
}
