import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { splitSentences } from '../../src/corpus/sentences.js';
import { parseArticle } from '../../src/corpus/parse.js';
import { SEED_ARTICLE } from '../support/fixtures.js';

const texts = (text: string): string[] => splitSentences(text).map((s) => s.text);

describe('splitSentences', () => {
  describe('on abbreviations', () => {
    it('keeps "former U.S. President Donald Trump" in one sentence', () => {
      expect(texts('It followed his diplomacy with former U.S. President Donald Trump. Then it ended.')).toEqual([
        'It followed his diplomacy with former U.S. President Donald Trump.',
        'Then it ended.',
      ]);
    });
    it('keeps "U.N. resolutions" inside its sentence', () => {
      expect(texts('This would violate U.N. resolutions, supported by Russia. It is banned.')).toHaveLength(2);
    });
    it('ends a sentence at an acronym when a new sentence clearly starts', () => {
      expect(texts('He moved to the U.S. The move was sudden.')).toEqual(['He moved to the U.S.', 'The move was sudden.']);
    });
    it('never splits after a title such as Dr. or Gen.', () => {
      expect(texts('Dr. Lee met Gen. Smith. They talked.')).toEqual(['Dr. Lee met Gen. Smith.', 'They talked.']);
    });
    it('keeps initials with the name', () => {
      expect(texts('Donald J. Trump spoke. Kim listened.')).toEqual(['Donald J. Trump spoke.', 'Kim listened.']);
    });
    it('keeps e.g. and i.e. followed by lower case', () => {
      expect(texts('Some weapons, e.g. shells, were sent. Others were not.')).toHaveLength(2);
    });
  });
  describe('on numbers and quotes', () => {
    it('does not split decimals', () => {
      expect(texts('Growth was 3.5 percent in 2020. It fell later.')).toEqual(['Growth was 3.5 percent in 2020.', 'It fell later.']);
    });
    it('keeps quoted words like “juche,” inside the sentence', () => {
      expect(texts('North Korea has adhered to a policy of “juche,” or self-reliance, and has avoided it. Next.')).toHaveLength(2);
    });
    it('ends a sentence after a closing quote', () => {
      expect(texts('He said “no.” Then he left.')).toEqual(['He said “no.”', 'Then he left.']);
    });
    it('splits on question and exclamation marks', () => {
      expect(texts('Why? Because! Fine.')).toEqual(['Why?', 'Because!', 'Fine.']);
    });
  });
  it('gives offsets that point back into the text', () => {
    const text = 'One here.  Two there? Three.';
    for (const s of splitSentences(text)) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
  it('returns nothing for blank text and one sentence for text without a stop', () => {
    expect(texts('   ')).toEqual([]);
    expect(texts('no stop at all')).toEqual(['no stop at all']);
  });

  describe('on the article', () => {
    it('splits every paragraph into the sentences a reader sees', async () => {
      const article = parseArticle(SEED_ARTICLE, await readFile(SEED_ARTICLE, 'utf8'));
      const counts = article.paragraphs.map((p) => p.sentences.length);
      expect(counts).toEqual([2, 2, 3, 3, 1, 2, 2, 1, 3, 1, 1]);
      const all = article.paragraphs.flatMap((p) => p.sentences.map((s) => s.text));
      expect(all).toContain('The potential summit would mark Kim’s first meeting with a foreign leader since North Korea closed its borders in January 2020, following his unsuccessful nuclear diplomacy with former U.S. President Donald Trump.');
      expect(all.every((s) => /[.!?”]$/.test(s))).toBe(true);
    });
  });
});
