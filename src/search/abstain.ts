import { fold } from '../text/fold.js';
import { termOf, terms } from './analyzer.js';
import { holdsNeed } from './answer-type.js';
import { areOpposite, baseWords, saysNot } from './english.js';
import type { Query } from './query.js';
import type { Scored } from './score.js';

/** Why no passage is given (the engine's AbstainReason). */
type Reason = 'out-of-scope' | 'not-covered';

/** What abstention needs to know of a question word. */
export interface AbstentionGroup {
  readonly term: string;
  readonly alternates: readonly string[];
  readonly specific: boolean;
  readonly weight: number;
}

/**
 * Share of the question's weight the best passage must hold before a "not" it lacks, or an antonym
 * standing where a question word should, is taken to mean the question was about something else.
 * A passage that shares only part of the question can say the rest in other words; one that shares
 * nearly all of it but says the opposite is answering another question (docs/DESIGN.md).
 */
export const CONTRADICTION_COVERAGE = 0.6;

/**
 * A question word the passage lacks while the passage has its antonym in the same place: next to the
 * same word as in the question ("the smallest city" asked, "the largest city" written).
 */
function opposedWord(
  question: readonly string[],
  passage: readonly string[],
  groups: readonly AbstentionGroup[],
  matched: ReadonlySet<number>,
): boolean {
  const asked = new Set(question.flatMap(baseWords));
  const written = new Set(passage.flatMap(baseWords));
  return groups.some((group, g) => {
    if (matched.has(g)) return false;
    const own = baseWords(group.term);
    if (own.length === 0 || own.some((word) => written.has(word))) return false;
    return question.some((term, i) => {
      if (term !== group.term) return false;
      return passage.some((other, j) => {
        const beside = (i + 1 < question.length && question[i + 1] === passage[j + 1]) || (i > 0 && question[i - 1] === passage[j - 1]);
        return beside && baseWords(other).some((word) => !asked.has(word) && own.some((mine) => areOpposite(mine, word)));
      });
    });
  });
}

/**
 * Whether to withhold an answer, and why. Only signals that hold on any reading are used (measured
 * on SQuAD 2.0's unanswerable questions as well as on the project's, docs/DESIGN.md):
 * - the question asks about the live world (weather, today, a price) in words the corpus never uses;
 * - no word of the question occurs in the corpus;
 * - a specific word of it (a name, a figure, a word unknown to everyday English) occurs nowhere in
 *   the corpus, not even as a typo or alias of one of its words;
 * - it asks to count ("how many"), for an age, a sum or a date, and the best passage holds none at all;
 * - the best passage holds most of the question but contradicts it: the question says "not" and the
 *   passage never does, or a question word is missing where the passage has its antonym.
 * Thresholds on coverage or similarity alone, and requiring a "when" question's time or a "how many"
 * question's number next to the words it asked about, were measured too: each refused nearly as many
 * right answers as wrong ones on SQuAD (docs/DESIGN.md).
 */
export function abstention(
  query: Query,
  groups: readonly AbstentionGroup[],
  matcher: ReadonlyMap<string, number>,
  ranked: readonly Scored[],
  inCorpus: (term: string) => boolean,
): Reason | null {
  const best = ranked[0];
  if (best === undefined || best.matched.size === 0 || best.score <= 0) return 'not-covered';
  // The passage must itself speak of the weather, today or a price: somewhere in a large library
  // every everyday word occurs, so the corpus as a whole using it proves nothing.
  const liveTerms = query.liveWorld.map((word) => termOf(word) ?? word);
  if (liveTerms.length > 0) {
    const used = new Set(terms(best.paragraph.text));
    if (!liveTerms.some((term) => used.has(term))) return 'out-of-scope';
  }
  const found = new Array<boolean>(groups.length).fill(false);
  groups.forEach((group, g) => {
    found[g] = inCorpus(group.term) || group.alternates.some(inCorpus);
  });
  for (const [term, g] of matcher) if (!found[g] && inCorpus(term)) found[g] = true;
  if (groups.some((group, g) => group.specific && !found[g])) return 'not-covered';
  // "How many…" is not answered by a passage without a number, nor "how old…" without an age,
  // however many words it shares.
  if (!holdsNeed(query.needs, best.paragraph.text)) return 'not-covered';
  const total = groups.reduce((sum, group) => sum + group.weight, 0);
  const held = groups.reduce((sum, group, g) => sum + (best.matched.has(g) ? group.weight : 0), 0);
  if (total > 0 && held / total >= CONTRADICTION_COVERAGE) {
    if (query.negated && !saysNot(fold(best.paragraph.text))) return 'not-covered';
    if (opposedWord(query.terms, terms(best.paragraph.text), groups, best.matched)) return 'not-covered';
  }
  return null;
}
