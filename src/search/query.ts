import { fold } from '../text/fold.js';
import { questionWords, terms, type QuestionWord } from './analyzer.js';

/** What kind of fact a question asks for, when its wording says so. */
export type AnswerType = 'time' | 'quantity' | 'name' | null;

/**
 * A question analysed once: every later stage (retrieval, scoring, sentence choice, abstention)
 * reads this value instead of going back to the text.
 */
export interface Query {
  /** The question as typed. */
  readonly text: string;
  /** Folded (case, accents, quotes) with whitespace collapsed. */
  readonly folded: string;
  /** Content words in order, question-framing and stop words dropped, each term once. */
  readonly words: readonly QuestionWord[];
  /** Every index term of the question in order, framing words and repeats kept: for checks of word order. */
  readonly terms: readonly string[];
  readonly type: AnswerType;
  /**
   * What any passage that answers must hold, whatever its words: a number for "how many", an age for
   * "how old", a sum of money for "how much … cost", a date for "on what date" (see {@link Need}).
   */
  readonly needs: Need | null;
  /** Only a greeting or thanks: it deserves a friendly word rather than a search. */
  readonly greeting: boolean;
  /**
   * Words of the question that ask about the live world (the weather, today, a price now); if the
   * corpus does not use them itself, no reading can answer.
   */
  readonly liveWorld: readonly string[];
  /** Asks for the current time or date ("what time is it?"), which no reading answers. */
  readonly asksNow: boolean;
  /** Asks about what is not so ("which region did not…", "why didn't…"): only a text that says "not" answers. */
  readonly negated: boolean;
}

const GREETING = /^(?:hi|hello|hey|hiya|yo|thanks|thank you|thx|cheers|good (?:morning|afternoon|evening|night))\b[!.?\s]*$/;

/** Words that tie a question to the moment it is asked, not to any text. */
const LIVE_WORLD = new Set('weather forecast tonight joke jokes funny'.split(' '));
/** Phrasings that ask for the current time or date whatever else they share with a text. */
const NOW = /\bwhat(?:'s| is) the (?:time|date)\b|\bwhat (?:time|day|date) is it\b|\b(?:current|local) (?:time|date)\b/;

/** What a question's wording says its answer must be, so that a passage without one cannot answer. */
export type Need = 'number' | 'age' | 'money' | 'date';

/**
 * Questions that ask to count; "how much", "how long", "how fast" alone are often answered in words
 * ("little", "quickly"), but "how much … cost" asks for a sum and "how old" for an age.
 */
const NEEDS: readonly (readonly [Need, RegExp])[] = [
  ['number', /\bhow many\b|\bwhat (?:percentage|percent|proportion|number)\b/],
  ['age', /^\s*how old\b/],
  [
    'money',
    /^\s*how much\b(?! of\b).*\b(?:pay|pays|paid|paying|cost|costs|costing|costed|spend|spends|spent|spending|worth|price|priced|charge|charges|charged|charging|earn|earns|earned|earning|sell|sells|sold|selling|buy|buys|bought|buying|fund|funds|funded|funding|budget|revenue|salary|wage|wages|fine|fined|donate|donated|invest|invested|money|owe|owed)\b/,
  ],
  ['date', /\b(?:what|which)(?: exact)? (?:date|day)\b|\bon what (?:exact )?date\b/],
];
const QUANTITY =
  /\bhow (?:many|much|old|long|far|big|large|tall|high|deep|wide|fast|heavy)\b|\bwhat (?:percentage|percent|proportion|number|amount)\b/;
const TIME =
  /^\s*(?:in |by |since |until |about |around )?when\b|\b(?:what|which|in what|in which) (?:\w+ )?(?:year|years|date|day|month|century|decade|era|period|time period)\b|\bwhat time (?!is it)|\bon what date\b|\bhow long ago\b/;

/**
 * "Not", "never", "-n't" in a question, less the phrasings where they negate nothing: "not only",
 * "whether or not", "may or may not", "if not".
 */
const NEGATED = /\b(?:not|never)\b|n't\b/;
const NOT_NEGATING = /\bnot only\b|\bor (?:\w+ )?not\b|\bif not\b/g;

/** "Who…", "whom…", "whose…", "what … called" ask for a name. */
const NAME = /^\s*(?:who|whom|whose)\b|\b(?:who|whom) (?:was|were|is|are|did|does)\b/;

/** Analyses a question: its content words, the kind of answer it wants, and what marks it as small talk. */
export function analyse(question: string): Query {
  const folded = fold(question).replace(/\s+/g, ' ').trim();
  const words = questionWords(question);
  const seen = new Set<string>();
  const unique = words.filter((w) => !seen.has(w.term) && seen.add(w.term));
  const live = folded.split(/[^\p{L}\p{N}']+/u).filter((w) => LIVE_WORLD.has(w));
  return {
    text: question,
    folded,
    words: unique,
    terms: terms(question),
    needs: NEEDS.find(([, pattern]) => pattern.test(folded))?.[0] ?? null,
    type: QUANTITY.test(folded) ? 'quantity' : TIME.test(folded) ? 'time' : NAME.test(folded) ? 'name' : null,
    greeting: GREETING.test(folded),
    liveWorld: [...new Set(live)],
    asksNow: NOW.test(folded),
    negated: NEGATED.test(folded.replace(NOT_NEGATING, ' ')),
  };
}

/** Whether a "question" is only a greeting or thanks. */
export function isGreeting(question: string): boolean {
  return GREETING.test(fold(question).replace(/\s+/g, ' ').trim());
}
