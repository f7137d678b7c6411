/**
 * Numbers and dates as a text states them, found by a few patterns rather than an NLP library: the quiz
 * blanks them and offers others of the same kind from the same reading, so the kinds must be the ones a
 * reader tells apart (a year is not a count, a percentage is not a sum of money).
 */

/** The kinds of quantity the quiz asks about. */
export type QuantityKind = 'year' | 'date' | 'percent' | 'money' | 'number';

/** One number or date in a text. */
export interface Quantity {
  readonly kind: QuantityKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The value, normalised: two quantities with the same key say the same thing ("5,000" and "5000"). */
  readonly key: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)`;
const DAY = String.raw`(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?`;
const YEAR = String.raw`(?:1[0-9]\d\d|20\d\d)`;
const SCALE = String.raw`(?:\s(?:thousand|million|billion|trillion))`;
const AMOUNT = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
// Letters, digits or a hyphen next to a match make it part of a code, a range or a compound ("F-16",
// "G20", "1990s", "4-momentum"); a chemical symbol, a minus sign, "log", "×" or a fraction slash next to
// it, part of a formula ("CO 2", "−11.7", "log 2", "4 × 1010", "1⁄2"); a colon or "Note" before it, a
// citation (":2–10:79", "[Note 4]").
const BEFORE = String.raw`(?<![\p{L}\p{N}\-–−./:$£€×^⁄]|[×⁄−]\s|\b\p{Lu}{1,2}\s|\p{Ll}\p{Lu}\s|\blog\s|\b[Nn]ote\s)`;
const AFTER = String.raw`(?![\p{L}\p{N}%]|[\-–⁄]|\.\d|,\d|\s?[×^])`;

const PATTERNS: readonly { kind: QuantityKind; pattern: RegExp }[] = [
  { kind: 'date', pattern: new RegExp(String.raw`${BEFORE}${MONTH}\s${DAY}(?:,\s${YEAR})?${AFTER}`, 'gu') },
  { kind: 'date', pattern: new RegExp(String.raw`${BEFORE}${DAY}\s${MONTH}(?:\s${YEAR})?${AFTER}`, 'gu') },
  { kind: 'date', pattern: new RegExp(String.raw`${BEFORE}${MONTH}\s${YEAR}${AFTER}`, 'gu') },
  { kind: 'money', pattern: new RegExp(String.raw`${BEFORE}(?:US)?[$£€]\s?${AMOUNT}${SCALE}?${AFTER}`, 'gu') },
  {
    kind: 'money',
    pattern: new RegExp(String.raw`${BEFORE}${AMOUNT}${SCALE}?\s(?:dollars|euros|pounds|yen|rubles|roubles)\b(?!\s?[\-–]\s?\d)`, 'gu'),
  },
  { kind: 'percent', pattern: new RegExp(String.raw`${BEFORE}${AMOUNT}(?:\s?%|\s(?:percent|per cent)\b)(?!\s?[\-–]\s?\d)`, 'gu') },
  { kind: 'year', pattern: new RegExp(String.raw`${BEFORE}${YEAR}${AFTER}`, 'gu') },
  { kind: 'number', pattern: new RegExp(String.raw`${BEFORE}${AMOUNT}${SCALE}?${AFTER}`, 'gu') },
];

const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

function amountValue(text: string): number {
  const amount = /\d[\d,]*(?:\.\d+)?/.exec(text)?.[0] ?? '';
  const scale = /(thousand|million|billion|trillion)/.exec(text)?.[1];
  return Number(amount.replace(/,/g, '')) * (scale ? (SCALES[scale] ?? 1) : 1);
}

function monthOf(text: string): number {
  const lower = text.toLowerCase();
  return MONTHS.findIndex((month) => lower.includes(month.slice(0, 3)));
}

function keyOf(kind: QuantityKind, text: string): string {
  switch (kind) {
    case 'date': {
      const year = new RegExp(YEAR).exec(text)?.[0] ?? '';
      const day = /\b(\d{1,2})(?:st|nd|rd|th)?\b/.exec(text.replace(new RegExp(YEAR), ''))?.[1] ?? '';
      return `${year}-${monthOf(text) + 1}-${day === '' ? '' : Number(day)}`;
    }
    case 'money':
      return `${/[$£€]|dollars|euros|pounds|yen|rubles|roubles/.exec(text)?.[0] ?? ''}${amountValue(text)}`;
    default:
      return String(amountValue(text));
  }
}

/** Every number and date in `text`, left to right; where patterns overlap the first listed wins. */
export function findQuantities(text: string): Quantity[] {
  const found: Quantity[] = [];
  const taken: boolean[] = new Array<boolean>(text.length).fill(false);
  for (const { kind, pattern } of PATTERNS) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.slice(start, end).some(Boolean)) continue;
      // A bare one- or two-digit number is too often an ordinal, a page or a list marker to ask about.
      if (kind === 'number' && /^\d{1,2}$/.test(match[0]) && amountValue(match[0]) < 2) continue;
      for (let i = start; i < end; i++) taken[i] = true;
      found.push({ kind, start, end, text: match[0], key: keyOf(kind, match[0]) });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The kind of a whole string when it is exactly one quantity, else null. */
export function quantityKindOf(text: string): QuantityKind | null {
  const found = findQuantities(text);
  const only = found.length === 1 ? found[0] : undefined;
  return only && only.start === 0 && only.end === text.length ? only.kind : null;
}
