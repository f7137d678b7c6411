import { describe, expect, it } from 'vitest';
import type { Sentence } from '../../../src/corpus/types.js';
import type { Answer, Passage } from '../../../src/search/engine.js';
import { encoderText, entryText, rerank, SEMANTIC, sentencePool } from '../../../src/search/semantic/rerank.js';

const sentence = (index: number, text: string): Sentence => ({ index, text, start: 0, end: text.length });

function passage(paragraph: number, sentences: [string, number][]): Passage {
  const list = sentences.map(([text, score], i) => ({ sentence: sentence(i, text), score }));
  const first = list[0] ?? { sentence: sentence(0, ''), score: 0 };
  return {
    article: { id: 'a', title: 'A', url: null, source: null, published: null },
    paragraph,
    section: null,
    text: sentences.map(([text]) => text).join(' '),
    sentence: first.sentence,
    highlights: [],
    score: first.score,
    sentences: list,
  };
}

const answer = (passages: Passage[]): Answer => ({ query: 'q', abstained: false, reason: null, passages });

describe('rerank', () => {
  it('puts the passage whose sentence means what the question asks first, when the words nearly tie', () => {
    const similar = new Map([
      ['they hope for food', 0.9],
      ['shells ran short', 0.1],
    ]);
    const ranked = rerank(
      answer([passage(1, [['shells ran short', 1]]), passage(2, [['they hope for food', 0.9]])]),
      3,
      (entry) => similar.get(entry.sentence.text) ?? 0,
    );
    expect(ranked.passages.map((p) => p.paragraph)).toEqual([2, 1]);
  });

  it('keeps the lexical order when the meaning does not tell the sentences apart', () => {
    const ranked = rerank(answer([passage(1, [['x', 1]]), passage(2, [['y', 0.5]])]), 3, () => 0.4);
    expect(ranked.passages.map((p) => p.paragraph)).toEqual([1, 2]);
  });

  it('does not let similarity outweigh a much better lexical match', () => {
    // 1/1 + 2 × 0.3 = 1.6 against 0.2/1 + 2 × 0.5 = 1.2.
    const similar = new Map([
      ['exact words', 0.3],
      ['vaguely related', 0.5],
    ]);
    const ranked = rerank(
      answer([passage(1, [['exact words', 1]]), passage(2, [['vaguely related', 0.2]])]),
      3,
      (entry) => similar.get(entry.sentence.text) ?? 0,
    );
    expect(ranked.passages[0]?.paragraph).toBe(1);
  });

  it('shows the sentence of the passage that scored best', () => {
    const ranked = rerank(
      answer([
        passage(1, [
          ['first', 1],
          ['second', 0.95],
        ]),
        passage(2, [['other', 0.1]]),
      ]),
      3,
      (entry) => (entry.sentence.text === 'second' ? 0.8 : 0.1),
    );
    expect(ranked.passages[0]?.paragraph).toBe(1);
    expect(ranked.passages[0]?.sentence.text).toBe('second');
  });

  it('gives at most `top` passages, those outside the pool after the rest in their order', () => {
    const many = Array.from({ length: SEMANTIC.pool + 3 }, (_, i) => passage(i + 1, [[`s${i}`, 100 - i]]));
    const ranked = rerank(answer(many), SEMANTIC.pool + 3, () => 0);
    expect(ranked.passages).toHaveLength(SEMANTIC.pool + 3);
    expect(ranked.passages.slice(SEMANTIC.pool).map((p) => p.paragraph)).toEqual([SEMANTIC.pool + 1, SEMANTIC.pool + 2, SEMANTIC.pool + 3]);
    expect(rerank(answer(many), 2, () => 0).passages).toHaveLength(2);
  });

  it('returns an abstention as it is', () => {
    const abstained: Answer = { query: 'q', abstained: true, reason: 'not-covered', passages: [] };
    expect(rerank(abstained, 3, () => 1)).toBe(abstained);
  });
});

describe('sentencePool', () => {
  it('takes the best sentences across passages by lexical score', () => {
    const pool = sentencePool(
      answer([
        passage(1, [
          ['a', 3],
          ['b', 1],
        ]),
        passage(2, [['c', 2]]),
      ]),
      2,
    );
    expect(pool.map((entry) => entry.sentence.text)).toEqual(['a', 'c']);
  });
});

describe('encoderText', () => {
  it('gives the encoder a sentence after its article’s title, or alone when the title is blank', () => {
    expect(encoderText('Oxygen', 'It was discovered in 1773.')).toBe('Oxygen: It was discovered in 1773.');
    expect(encoderText('  ', 'It was discovered in 1773.')).toBe('It was discovered in 1773.');
  });

  it('reads at most the first words of a long title', () => {
    const words = Array.from({ length: SEMANTIC.titleWords + 5 }, (_, i) => `w${i}`);
    expect(encoderText(words.join('  '), 'S.')).toBe(`${words.slice(0, SEMANTIC.titleWords).join(' ')}: S.`);
  });

  it('reads the title from the passage a pool entry belongs to', () => {
    const ranked = answer([
      passage(1, [['x', 1]]),
      { ...passage(2, [['y', 2]]), article: { id: 'b', title: 'Bee', url: null, source: null, published: null } },
    ]);
    expect(sentencePool(ranked).map((entry) => entryText(ranked, entry))).toEqual(['Bee: y', 'A: x']);
  });
});
