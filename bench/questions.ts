import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Article } from '../src/corpus/types.js';
import { Rng } from './generate.js';

/** Question files whose questions join the mix: the shared dev set and the project's own. */
export const QUESTION_FILES = [
  fileURLToPath(new URL('../../shared/eval/questions.dev.jsonl', import.meta.url)),
  fileURLToPath(new URL('../test/fixtures/questions.project.jsonl', import.meta.url)),
];

/** What kind of question it is, so results can be read per kind. */
export type QuestionKind = 'eval' | 'generated' | 'typo' | 'unanswerable';

export interface BenchQuestion {
  readonly kind: QuestionKind;
  readonly q: string;
  /** The article the question was drawn from, for the scoped (`article` option) timing. */
  readonly articleId?: string;
}

/** The `q` of every line of the question files that exist. */
export function evalQuestions(files: readonly string[] = QUESTION_FILES): string[] {
  return files
    .filter((file) => existsSync(file))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => String((JSON.parse(line) as { q: unknown }).q)),
    );
}

const FRAMES = ['', '', '', 'what about ', 'why did ', 'who said ', 'how does ', 'when was ', 'is it true that '];

/** A run of 2 to 15 consecutive words of a random paragraph, sometimes framed as a question. */
function fromParagraph(rng: Rng, articles: readonly Article[]): { q: string; articleId: string } {
  const article = rng.pick(articles);
  const paragraph = rng.pick(article.paragraphs);
  const words = paragraph.text.split(/\s+/).map((word) => word.replace(/[.,;:!?"“”]/g, ''));
  const length = rng.int(2, 15);
  const start = rng.int(0, Math.max(0, words.length - length));
  const text = words.slice(start, start + length).join(' ');
  return { q: `${rng.pick(FRAMES)}${text}${rng.chance(0.5) ? '?' : ''}`, articleId: article.id };
}

/** One or two typing slips in words of five letters or more: swapped, dropped, doubled or wrong letters. */
export function addTypos(rng: Rng, text: string): string {
  const words = text.split(' ');
  const long = words.map((word, i) => (/^[a-z]{5,}$/i.test(word) ? i : -1)).filter((i) => i >= 0);
  if (long.length === 0) return text;
  const slips = rng.int(1, Math.min(2, long.length));
  for (let n = 0; n < slips; n += 1) {
    const i = rng.pick(long);
    const word = words[i] ?? '';
    const at = rng.int(1, word.length - 2);
    const kind = rng.int(0, 3);
    words[i] =
      kind === 0
        ? word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2)
        : kind === 1
          ? word.slice(0, at) + word.slice(at + 1)
          : kind === 2
            ? word.slice(0, at) + (word[at] ?? '') + word.slice(at)
            : word.slice(0, at) + String.fromCharCode(97 + rng.int(0, 25)) + word.slice(at + 1);
  }
  return words.join(' ');
}

const ONSETS = [
  'b',
  'bl',
  'br',
  'd',
  'dr',
  'f',
  'fl',
  'g',
  'gr',
  'k',
  'kl',
  'kr',
  'm',
  'n',
  'p',
  'pl',
  'qu',
  'sk',
  'st',
  'tr',
  'v',
  'z',
  'zh',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'oo', 'ai', 'ei'];
const CODAS = ['', 'b', 'k', 'l', 'm', 'n', 'rk', 'sk', 'x', 'zz'];

/** A pronounceable word no dictionary has, e.g. "kraizzblo". */
function nonsenseWord(rng: Rng): string {
  let word = '';
  for (let s = rng.int(2, 3); s > 0; s -= 1) word += rng.pick(ONSETS) + rng.pick(VOWELS) + rng.pick(CODAS);
  return word;
}

/**
 * The benchmark's questions for a corpus, the same for the same seed and corpus: every question of
 * the question files, paragraph excerpts of 2 to 15 words, excerpts with typos, and questions made
 * of words no article contains. At least `count` in all.
 */
export function benchQuestions(articles: readonly Article[], seed: number, count = 520): BenchQuestion[] {
  const rng = new Rng(seed);
  const questions: BenchQuestion[] = evalQuestions().map((q) => ({ kind: 'eval', q }));
  const rest = Math.max(0, count - questions.length);
  const typos = Math.round(rest * 0.22);
  const unanswerable = Math.round(rest * 0.13);
  const generated = rest - typos - unanswerable;
  for (let i = 0; i < generated; i += 1) questions.push({ kind: 'generated', ...fromParagraph(rng, articles) });
  for (let i = 0; i < typos; i += 1) {
    const { q, articleId } = fromParagraph(rng, articles);
    questions.push({ kind: 'typo', q: addTypos(rng, q), articleId });
  }
  for (let i = 0; i < unanswerable; i += 1) {
    const words = Array.from({ length: rng.int(2, 6) }, () => nonsenseWord(rng));
    questions.push({ kind: 'unanswerable', q: `${rng.pick(FRAMES)}${words.join(' ')}?` });
  }
  // Shuffled, so no kind is always timed first (warm) or last.
  for (let i = questions.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [questions[i], questions[j]] = [questions[j] as BenchQuestion, questions[i] as BenchQuestion];
  }
  return questions;
}

/** Typed prefixes for the article picker: beginnings of titles and of paragraphs, cut mid-word. */
export function typedPrefixes(articles: readonly Article[], seed: number, count = 1000): string[] {
  const rng = new Rng(seed);
  const typed: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const article = rng.pick(articles);
    const source = rng.chance(0.7) ? article.title : rng.pick(article.paragraphs).text.slice(0, 60);
    const words = source.split(' ');
    // Sometimes a later word of the title, as people type the word they remember.
    const from = rng.chance(0.3) ? rng.int(0, Math.max(0, words.length - 1)) : 0;
    const rest = words.slice(from).join(' ');
    typed.push(rest.slice(0, rng.int(1, Math.min(rest.length, 20))));
  }
  return typed;
}
