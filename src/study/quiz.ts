import type { Article } from '../corpus/types.js';
import type { Directory } from '../entities/index.js';
import { fold } from '../text/fold.js';
import { contentWords, findFacts, findForm, type Fact, type FactKind, type Value } from './facts.js';
import { seededRandom, shortHash, shuffled } from './random.js';

/** The most questions one quiz asks. */
export const MAX_QUESTIONS = 10;
/** Options per question: the answer and three distractors. */
export const OPTIONS = 4;

/** One multiple-choice question: a sentence of the article with one fact blanked. */
export interface QuizItem {
  readonly kind: FactKind;
  readonly paragraph: number;
  readonly section: string | null;
  readonly sentenceIndex: number;
  /** The sentence as the article has it. */
  readonly sentence: string;
  /** The blanked span of `sentence`. */
  readonly start: number;
  readonly end: number;
  /** Four options, the right one among them. */
  readonly options: readonly string[];
  /** Index of the right option. */
  readonly answer: number;
}

/** The most distractors kept per fact, to draw three from. */
const MAX_DISTRACTORS = 24;

/** How long a sentence may be to make a fair question, in words. */
const MIN_WORDS = 6;
const MAX_WORDS = 60;

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** A value with what the distractor rules compare, worked out once per reading. */
interface PreparedValue {
  readonly value: Value;
  readonly shown: string;
  readonly folded: readonly string[];
  readonly words: readonly string[];
}

function prepare(values: readonly Value[]): PreparedValue[] {
  return values.map((value) => ({
    value,
    shown: fold(value.answer),
    folded: value.forms.map((form) => fold(form)),
    words: [...contentWords(value.answer)],
  }));
}

/**
 * The options that may stand beside a fact's answer: values of the same kind from the same reading
 * that are not the answer under another name, that no word of the sentence gives away or rules out,
 * and that the sentence does not itself name.
 */
export function distractorsFor(fact: Fact, values: readonly Value[] | readonly PreparedValue[]): Value[] {
  const prepared =
    values.length > 0 && 'shown' in (values[0] as object) ? (values as readonly PreparedValue[]) : prepare(values as Value[]);
  const blanked = fold(fact.sentence.slice(fact.start, fact.end));
  const rest = `${fact.sentence.slice(0, fact.start)} ${fact.sentence.slice(fact.end)}`;
  const restWords = contentWords(rest);
  const answerFolded = fold(fact.answer);
  const seen = new Set<string>([answerFolded]);
  const out: Value[] = [];
  // A long reading has hundreds of values of a kind; a few dozen are plenty to draw three from, so the
  // scan starts at a place of the fact's own and stops there, which keeps every question's work small.
  const offset =
    prepared.length === 0 ? 0 : Number.parseInt(shortHash(`${fact.paragraph}.${fact.sentenceIndex}.${fact.start}`), 36) % prepared.length;
  for (let n = 0; n < prepared.length && out.length < MAX_DISTRACTORS; n++) {
    const { value, shown, folded, words } = prepared[(offset + n) % prepared.length] as PreparedValue;
    if (value.key === fact.key) continue;
    if (seen.has(shown)) continue;
    if (folded.some((form) => form === blanked || form === answerFolded)) continue;
    if (words.some((word) => restWords.has(word))) continue;
    if (value.forms.some((form) => findForm(fact.sentence, form) >= 0)) continue;
    seen.add(shown);
    out.push(value);
  }
  return out;
}

function sectionOf(article: Article, paragraph: number): string | null {
  return article.paragraphs[paragraph - 1]?.section ?? null;
}

type Candidate = { readonly fact: Fact; readonly distractors: readonly Value[] };

// Articles and directories are never mutated (a reload builds new ones), so candidates are worked out
// once per pair: every quiz button press makes its quiz again from them.
const candidateCache = new WeakMap<Article, WeakMap<Directory, readonly Candidate[]>>();

/** Every fact of the article that makes a fair question, with its possible distractors. */
export function quizCandidates(article: Article, directory: Directory): readonly Candidate[] {
  const cached = candidateCache.get(article)?.get(directory);
  if (cached) return cached;
  const { facts, values } = findFacts(article, directory);
  const byKind = new Map<FactKind, PreparedValue[]>();
  for (const value of prepare(values)) byKind.set(value.value.kind, [...(byKind.get(value.value.kind) ?? []), value]);
  const out: Candidate[] = [];
  for (const fact of facts) {
    const words = wordCount(fact.sentence);
    if (words < MIN_WORDS || words > MAX_WORDS) continue;
    const distractors = distractorsFor(fact, byKind.get(fact.kind) ?? []);
    if (distractors.length >= OPTIONS - 1) out.push({ fact, distractors });
  }
  const byDirectory = candidateCache.get(article) ?? new WeakMap<Directory, readonly Candidate[]>();
  byDirectory.set(directory, out);
  candidateCache.set(article, byDirectory);
  return out;
}

/**
 * Up to `count` questions for one article, the same for the same seed. Each question comes from a
 * different paragraph while unused ones remain, and no answer or sentence is asked twice.
 */
export function makeQuiz(article: Article, directory: Directory, seed: number, count: number): QuizItem[] {
  const random = seededRandom(seed);
  const candidates = quizCandidates(article, directory);
  const byParagraph = new Map<number, Candidate[]>();
  for (const candidate of candidates) {
    const list = byParagraph.get(candidate.fact.paragraph) ?? [];
    list.push(candidate);
    byParagraph.set(candidate.fact.paragraph, list);
  }
  const items: QuizItem[] = [];
  const usedAnswers = new Set<string>();
  const usedSentences = new Set<string>();
  let paragraphs = shuffled([...byParagraph.keys()], random);
  while (items.length < count && paragraphs.length > 0) {
    const next: number[] = [];
    for (const paragraph of paragraphs) {
      if (items.length >= count) break;
      const open = (byParagraph.get(paragraph) ?? []).filter(
        ({ fact }) => !usedAnswers.has(fact.key) && !usedSentences.has(`${fact.paragraph}:${fact.sentenceIndex}`),
      );
      const pick = open[Math.floor(random() * open.length)];
      if (!pick) continue;
      next.push(paragraph);
      usedAnswers.add(pick.fact.key);
      usedSentences.add(`${pick.fact.paragraph}:${pick.fact.sentenceIndex}`);
      const chosen = shuffled(pick.distractors, random).slice(0, OPTIONS - 1);
      const options = shuffled([pick.fact.answer, ...chosen.map((value) => value.answer)], random);
      items.push({
        kind: pick.fact.kind,
        paragraph: pick.fact.paragraph,
        section: sectionOf(article, pick.fact.paragraph),
        sentenceIndex: pick.fact.sentenceIndex,
        sentence: pick.fact.sentence,
        start: pick.fact.start,
        end: pick.fact.end,
        options,
        answer: options.indexOf(pick.fact.answer),
      });
    }
    paragraphs = next;
  }
  return items;
}
