import { fold } from '../text/fold.js';

/**
 * Questions no article can answer because they ask about the live world or the bot itself
 * ("what time is it in Moscow?", "will it rain?", "tell me a joke"). Their content words can
 * still occur in an article ("time", "Moscow"), so word coverage alone would answer them.
 */
const OUT_OF_SCOPE: readonly RegExp[] = [
  /\bwhat(?:'s| is) the (?:time|date)\b/,
  /\bwhat (?:time|day|date) is it\b/,
  /\b(?:current|local) (?:time|date)\b/,
  /\btime (?:is it )?(?:right )?now\b/,
  /\b(?:weather|forecast|temperature|rain(?:ing)?|snow(?:ing)?) (?:in|today|tomorrow|now)\b/,
  /\bwill it (?:rain|snow)\b/,
  /\b(?:tell|give) me (?:a |another )?joke\b/,
  /\bwho (?:are|made|built) you\b/,
];

const GREETING = /^(?:hi|hello|hey|thanks|thank you|good (?:morning|evening|night))\b[!.?\s]*$/;

/** Whether a "question" is only a greeting or thanks, which deserves a friendly word rather than a search. */
export function isGreeting(question: string): boolean {
  return GREETING.test(fold(question).replace(/\s+/g, ' ').trim());
}

/** Whether a question asks about something outside any article, whatever words it shares. */
export function isOutOfScope(question: string): boolean {
  const text = fold(question).replace(/\s+/g, ' ').trim();
  return isGreeting(question) || OUT_OF_SCOPE.some((pattern) => pattern.test(text));
}

/** What kind of fact a question asks for, when its wording says so. */
export type AnswerType = 'quantity' | 'time' | null;

const NUMBER_WORDS =
  /\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|several|percent)\b/;
const TIME_WORDS =
  /\b(?:1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|week|month|year|decade|century|since|until|ago|\d{1,2}(?:st|nd|rd|th))\b/;

/** "How many…", "how much…", "how old…" ask for a number; "when…", "what year…" for a time. */
export function answerType(question: string): AnswerType {
  const text = fold(question);
  if (/\bhow (?:many|much|old|long|far|big|large)\b/.test(text)) return 'quantity';
  if (
    /^\s*when\b|\bwhat (?:\w+ )?(?:year|date|day|month)\b|\bwhat time (?!is it)|\bwhich (?:year|date|day|month)\b|\bon what date\b/.test(
      text,
    )
  )
    return 'time';
  return null;
}

/** How many words may stand between a number and a word of the question for the number to be about it. */
const QUANTITY_REACH = 1;

const wordsBetween = (text: string, from: number, to: number): number =>
  from >= to
    ? 0
    : text
        .slice(from, to)
        .split(/\s+/)
        .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

/**
 * Whether a sentence can answer a question of the given type: for "how many", a number standing
 * next to one of the question's words ("300 shells", not "the two countries"); for "when", a time
 * standing next to one ("closed its borders in January 2020", not a date of something else).
 * `matched` are the character ranges in `sentence` of words that matched the question.
 */
export function sentenceFits(type: AnswerType, sentence: string, matched: readonly { start: number; end: number }[] = []): boolean {
  if (type === null) return true;
  const text = fold(sentence);
  for (const number of text.matchAll(new RegExp((type === 'time' ? TIME_WORDS : NUMBER_WORDS).source, 'g'))) {
    const from = number.index;
    const to = from + number[0].length;
    const near = matched.some(
      (range) =>
        !(range.start >= from && range.end <= to) &&
        (range.start >= to ? wordsBetween(text, to, range.start) : wordsBetween(text, range.end, from)) <= QUANTITY_REACH,
    );
    if (near) return true;
  }
  return false;
}
