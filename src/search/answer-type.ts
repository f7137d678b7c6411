import { fold } from '../text/fold.js';
import type { AnswerType, Need } from './query.js';

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const ORDINALS =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first';
const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|dozen|dozens|half|quarter|several|percent|per cent';

/**
 * A time of any era and in any common form: a year of one to four digits with or without an era
 * ("1773", "800 BC", "the 1960s"), a century or millennium ("the 14th century", "third millennium"),
 * a month or weekday, a numeric date, or a relative time ("two years ago", "since").
 */
const TIME = new RegExp(
  [
    String.raw`\b\d{3,4}s?\b`,
    String.raw`\b\d{1,4}\s*(?:bc|bce|ad|ce)\b`,
    String.raw`\b(?:ad|ce)\s*\d{1,4}\b`,
    String.raw`\b(?:\d{1,2}(?:st|nd|rd|th)|${ORDINALS})[- ](?:century|centuries|millennium)\b`,
    String.raw`\b(?:${MONTHS})\b`,
    String.raw`\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`,
    String.raw`\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b`,
    String.raw`\b(?:ago|since|until|yesterday|today|tomorrow|decade|decades|century|centuries|era|period)\b`,
  ].join('|'),
  'g',
);

/** A quantity: digits in any format ("1,200", "3.5", "40%") or a number word. */
const QUANTITY = new RegExp(String.raw`\d+(?:[.,]\d+)*\s*%?|\b(?:${NUMBER_WORDS})\b`, 'g');

/** Character ranges in `sentence` where something of the asked-for type stands. */
export function typedSpans(type: AnswerType, sentence: string): { start: number; end: number }[] {
  if (type === null) return [];
  if (type === 'name') {
    // A capitalised word that does not open the sentence: a name, in any language that capitalises them.
    return [...sentence.matchAll(/(?<=[\p{L}\p{N},;:)]\s+)\p{Lu}[\p{L}'’-]+/gu)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
    }));
  }
  const text = fold(sentence);
  return [...text.matchAll(type === 'time' ? TIME : QUANTITY)]
    .filter((m) => type === 'time' || !YEAR.test(m[0].trim()))
    .map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** A bare year: what "how many" is not asking for. */
const YEAR = /^(?:1[0-9]|20)\d\d$/;

/** Whether a sentence holds anything of the type a question asks for (always true when it asks for none). */
export function hasType(type: AnswerType, sentence: string): boolean {
  return type === null || typedSpans(type, sentence).length > 0;
}

/**
 * An age: "at (the) age (of) 20", "aged five", "a 130,000-year-old bone", "six months old", or a birth
 * from which it follows ("born in 1810", "after his birth").
 */
const AGE =
  /\b(?:age|aged|ages)\b|\byears?[- ]old\b|\b(?:months?|weeks?|days?)[- ]old\b|\b(?:born|birth|birthday)\b|\b(?:years|centuries|millennia) ago\b|\bat \d{1,3}\b/;

/** A sum of money: a currency sign or name, or a count in thousands, millions or more. */
const MONEY =
  /[$€£¥₹₩]|\b(?:dollars?|euros?|pounds?|yen|yuan|renminbi|rubles?|roubles?|francs?|lire|lira|pesos?|rupees?|cents?|pence|shillings?|guineas?|usd|eur|gbp)\b|\b(?:thousands?|millions?|billions?|trillions?|bn)\b|\d\s*(?:k|m|bn)\b/;

/** Whether a passage holds what a question needs (always true when it needs nothing in particular). */
export function holdsNeed(need: Need | null, passage: string): boolean {
  switch (need) {
    case null:
      return true;
    case 'number':
      return hasType('quantity', passage);
    case 'date':
      return hasType('time', passage);
    case 'age':
      return AGE.test(fold(passage));
    case 'money':
      return MONEY.test(fold(passage));
  }
}
