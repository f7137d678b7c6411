import { termOf, terms } from './analyzer.js';
import { hasType } from './answer-type.js';
import type { Query } from './query.js';
import type { Scored } from './score.js';

/** Why no passage is given (the engine's AbstainReason). */
type Reason = 'out-of-scope' | 'not-covered';

/** What abstention needs to know of a question word. */
export interface AbstentionGroup {
  readonly term: string;
  readonly alternates: readonly string[];
  readonly specific: boolean;
}

/**
 * Whether to withhold an answer, and why. Only signals that hold on any reading are used (measured
 * on SQuAD 2.0's unanswerable questions as well as on the project's, docs/DESIGN.md):
 * - the question asks about the live world (weather, today, a price) in words the corpus never uses;
 * - no word of the question occurs in the corpus;
 * - a specific word of it (a name, a figure, a word unknown to everyday English) occurs nowhere in
 *   the corpus, not even as a typo or alias of one of its words;
 * - it asks "how many" and the best passage holds no number at all.
 * Thresholds on coverage or similarity, and requiring a "when" question's time or a "how many"
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
  // "How many…" is not answered by a passage without a number, however many words it shares.
  if (query.type === 'quantity' && !hasType('quantity', best.paragraph.text)) return 'not-covered';
  return null;
}
