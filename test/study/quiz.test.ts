import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCorpus } from '../../src/corpus/load.js';
import { parseArticle } from '../../src/corpus/parse.js';
import { buildDirectory } from '../../src/entities/index.js';
import { parseQuizCustomId, quizCustomId, type QuizPress } from '../../src/reply/quiz.js';
import { CHECKS, checkArticle, checkItem } from '../../src/study/check.js';
import { findQuantities } from '../../src/study/numbers.js';
import { makeQuiz } from '../../src/study/quiz.js';
import { readSquad } from '../../src/eval/squad.js';

const fixtures = async () => (await loadCorpus('test/fixtures/corpus-two')).articles;

describe('quiz', () => {
  describe('on the test fixtures and two SQuAD articles (the floor of npm run quiz -- --check)', () => {
    it('makes 100 items per article, every one passing every mechanical check', async () => {
      const corpus = await fixtures();
      const squad = (await readSquad('test/fixtures/squad-two-articles.json')).articles;
      const results = [
        ...corpus.map((article) => checkArticle(article, buildDirectory(corpus))),
        ...squad.map((article) => checkArticle(article, buildDirectory([article]))),
      ];
      for (const result of results) {
        expect(result.items, result.title).toBe(100);
        expect(result.passed, `${result.title}: ${JSON.stringify(result.failures)}`).toBe(100);
        // Questions spread over the reading rather than one paragraph.
        expect(result.paragraphsCovered / result.paragraphs, result.title).toBeGreaterThanOrEqual(0.5);
      }
    });
  });

  describe('the checks themselves', () => {
    it('catch a distractor the sentence names, a duplicate option, an answer given away and an answer that is not the blank', async () => {
      const corpus = await fixtures();
      const directory = buildDirectory(corpus);
      const article = corpus[0]!;
      const item = makeQuiz(article, directory, 3, 1)[0]!;
      expect(checkItem(item, article, directory)).toEqual([]);
      const named = item.sentence.slice(item.start, item.end);
      const otherWord = item.sentence.split(/\s+/).find((word) => /^\p{Lu}\p{Ll}{3,}$/u.test(word) && !named.includes(word)) ?? 'The';
      const wrong = item.answer === 0 ? 1 : 0;
      const withSentenceWord = { ...item, options: item.options.map((o, i) => (i === wrong ? otherWord : o)) };
      expect(checkItem(withSentenceWord, article, directory)).toContain('no distractor is in the sentence');
      const duplicated = { ...item, options: item.options.map((o, i) => (i === wrong ? (item.options[item.answer] ?? o) : o)) };
      expect(checkItem(duplicated, article, directory)).toContain('four distinct options');
      const givenAway = { ...item, sentence: `${item.sentence} (${named})` };
      expect(checkItem(givenAway, article, directory)).toContain('answer not given away by the sentence');
      const shifted = { ...item, answer: wrong };
      expect(checkItem(shifted, article, directory)).toContain('answer is the blanked span');
      expect(CHECKS.length).toBe(8);
    });
  });

  it('is the same for the same seed and differs between seeds', async () => {
    const corpus = await fixtures();
    const directory = buildDirectory(corpus);
    const article = corpus[0]!;
    expect(makeQuiz(article, directory, 42, 5)).toEqual(makeQuiz(article, directory, 42, 5));
    const runs = new Set([1, 2, 3, 4, 5].map((seed) => JSON.stringify(makeQuiz(article, directory, seed, 5))));
    expect(runs.size).toBeGreaterThan(1);
  });

  it('asks each question from a different paragraph while there are unused ones', async () => {
    const corpus = await fixtures();
    const quiz = makeQuiz(corpus[0]!, buildDirectory(corpus), 9, 5);
    expect(new Set(quiz.map((item) => item.paragraph)).size).toBe(quiz.length);
  });

  it('makes no quiz from a reading too short for one', () => {
    const article = parseArticle('short.md', '---\ntitle: Short\n---\n\nIt rained on Tuesday.\n');
    expect(makeQuiz(article, buildDirectory([article]), 1, 5)).toEqual([]);
  });
});

describe('numbers and dates', () => {
  it('tells years, dates, percentages, sums and counts apart, and leaves codes alone', () => {
    const found = findQuantities(
      'In January 2020, 1,500 troops (12% of them) cost $3.5 billion; by 1998 the F-16 and G20 were old; 5 September 2023.',
    );
    expect(found.map((q) => [q.kind, q.text])).toEqual([
      ['date', 'January 2020'],
      ['number', '1,500'],
      ['percent', '12%'],
      ['money', '$3.5 billion'],
      ['year', '1998'],
      ['date', '5 September 2023'],
    ]);
  });
});

describe('quiz button ids', () => {
  const press = fc.record({
    article: fc.stringMatching(/^[0-9a-z]{1,7}$/),
    version: fc.stringMatching(/^[0-9a-z]{1,7}$/),
    seed: fc.integer({ min: 1, max: 2 ** 40 }),
    of: fc.integer({ min: 1, max: 10 }),
    q: fc.nat(9),
    choice: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  });

  it('read back what they were written with, within 100 characters', () => {
    fc.assert(
      fc.property(press, ({ article, version, seed, of, q, choice }) => {
        const question = (q % of) + 1;
        const value: QuizPress =
          choice === undefined
            ? { action: 'next', article, version, seed, question, of }
            : { action: 'answer', choice, article, version, seed, question, of };
        const id = quizCustomId(value);
        expect(id.length).toBeLessThanOrEqual(100);
        expect(parseQuizCustomId(id)).toEqual(value);
      }),
    );
  });

  it('refuse anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const parsed = parseQuizCustomId(text);
        if (parsed) expect(quizCustomId(parsed)).toBe(text);
      }),
    );
    expect(parseQuizCustomId('quiz:a:abc:def:1:3:2')).toBeNull();
    expect(parseQuizCustomId('quiz:n:abc:def:1:3:2:1')).toBeNull();
  });
});
