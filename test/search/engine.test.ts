import { beforeAll, describe, expect, it } from 'vitest';
import { terms, questionTerms } from '../../src/search/analyzer.js';
import { compileAliases } from '../../src/search/aliases.js';
import { SearchEngine } from '../../src/search/engine.js';
import { parseArticle } from '../../src/corpus/parse.js';
import { openEngine } from '../../src/search/open.js';
import { answerType, isOutOfScope, sentenceFits } from '../../src/search/scope.js';
import { specificity } from '../../src/search/english.js';

describe('analyzer', () => {
  it('folds case, accents and curly apostrophes, drops stop words and possessives, and stems', () => {
    expect(terms('The Kim’s Exercises in Pyongyang')).toEqual(['kim', 'exercis', 'pyongyang']);
    expect(terms('Café résumé')).toEqual(['cafe', 'resum']);
  });
  it('keeps U.S. and U.N. as words rather than letters', () => {
    expect(terms('U.S. officials and U.N. resolutions')).toEqual(['usa', 'offici', 'un', 'resolut']);
    expect(terms('US officials')).toEqual(['usa', 'offici']);
    expect(terms('tell us')).toEqual(['tell']);
  });
  it('splits hyphenated words into their parts', () => {
    expect(terms('long-range self-reliance')).toEqual(['long', 'rang', 'self', 'relianc']);
  });
  it('drops the words that frame a question but keeps its topic', () => {
    expect(questionTerms('What does the article say about juche?').map((t) => t.term)).toEqual(['juch']);
  });
  it('drops absurdly long "words" instead of indexing them', () => {
    expect(terms('a'.repeat(500))).toEqual([]);
  });
});

describe('aliases', () => {
  it('expands a phrase to the article’s words, through the same analyzer', () => {
    const table = compileAliases({ aliases: { 'the Kremlin': 'Russia' }, synonyms: [['drills', 'exercises']] });
    expect(table.expansions.get('kremlin')).toEqual(['russia']);
    expect(table.expansions.get('drill')).toEqual(['exercis']);
    expect(table.expansions.get('exercis')).toEqual(['drill']);
  });
});

describe('scope', () => {
  it('recognises questions about the live world', () => {
    expect(isOutOfScope('What time is it in Moscow?')).toBe(true);
    expect(isOutOfScope("what's the weather in Seoul today")).toBe(true);
    expect(isOutOfScope('tell me a joke')).toBe(true);
    expect(isOutOfScope('When did Kim last meet a foreign leader?')).toBe(false);
  });
  it('asks a number of "how many" questions and a time of "when" questions', () => {
    expect(answerType('How many shells were sent?')).toBe('quantity');
    expect(answerType('When did the borders close?')).toBe('time');
    expect(answerType('Why did the borders close?')).toBeNull();
    expect(sentenceFits('quantity', 'They sent shells.', [{ start: 10, end: 16 }])).toBe(false);
    expect(sentenceFits('quantity', 'They sent 300 shells.', [{ start: 14, end: 20 }])).toBe(true);
    expect(sentenceFits('quantity', 'Shells went between the two countries.', [{ start: 0, end: 6 }])).toBe(false);
    expect(
      sentenceFits('time', 'The borders closed in January 2020.', [
        { start: 4, end: 11 },
        { start: 12, end: 18 },
      ]),
    ).toBe(true);
    const other = 'The summit would mark his first meeting since the borders closed in January 2020.';
    expect(sentenceFits('time', other, [{ start: 4, end: 10 }])).toBe(false);
    expect(answerType('What exact date is the summit?')).toBe('time');
  });
  it('rates everyday words as unspecific and rare words as specific', () => {
    expect(specificity('want')).toBeLessThan(0.2);
    expect(specificity('bitcoin')).toBe(1);
    expect(specificity('population')).toBeGreaterThan(specificity('time'));
  });
});

describe('SearchEngine on the article', () => {
  let engine: SearchEngine;
  beforeAll(async () => {
    engine = await openEngine('corpus');
  });

  it('answers with an attributed passage and the sentence that answers', () => {
    const answer = engine.ask('What is the policy of self-reliance called?');
    expect(answer.abstained).toBe(false);
    const [first] = answer.passages;
    expect(first).toMatchObject({ article: { id: 'kim-putin-secret-talks' }, paragraph: 9, section: 'The Extent of Their Cooperation' });
    expect(first?.sentence.text).toContain('juche');
    expect(first?.text.slice(first.sentence.start, first.sentence.end)).toBe(first?.sentence.text);
    expect(first?.highlights.length).toBeGreaterThan(0);
  });

  it('returns at most --top passages, best first', () => {
    const answer = engine.ask('North Korea Russia', { top: 2 });
    expect(answer.passages).toHaveLength(2);
    expect(answer.passages[0]!.score).toBeGreaterThanOrEqual(answer.passages[1]!.score);
  });

  it('finds passages through aliases: the Kremlin is Russia, Pyongyang is North Korea', () => {
    const answer = engine.ask('Did the Kremlin discuss drills with Pyongyang?');
    expect([3, 9]).toContain(answer.passages[0]?.paragraph);
  });

  it('forgives swapped letters, and weighs a typo as the word it found', () => {
    const answer = engine.ask('what does north korea want in retrun from rusia');
    expect(answer.passages[0]?.sentence.text).toMatch(/^In return, North Korea is expected to seek food/);
  });

  it('forgives typos in longer words', () => {
    expect(engine.ask('hypersonic wepons').passages[0]?.paragraph).toBe(8);
    expect(engine.ask('amunition stockpiles').passages[0]?.paragraph).toBe(5);
  });

  describe('when the article does not say', () => {
    for (const question of [
      'What is the capital of France?',
      'tell me a joke',
      'What time is it in Moscow?',
      'kimono shopping tips',
      'kimchi',
      '',
      '   ',
      '???',
      'the of and',
    ]) {
      it(`abstains on ${JSON.stringify(question)}`, () => {
        const answer = engine.ask(question);
        expect(answer.abstained).toBe(true);
        expect(answer.passages).toEqual([]);
      });
    }
    it('does not let "kimchi" or "kimono" match "Kim"', () => {
      for (const word of ['kimchi', 'kimono']) expect(engine.plan(word)[0]).toMatchObject({ known: false, prefix: true });
      expect(engine.ask('kimono').abstained).toBe(true);
    });
  });

  describe('on "how many" questions', () => {
    const factory = SearchEngine.build([
      parseArticle(
        'factory.md',
        `---\ntitle: The Factory\n---\n\nThe factory produced 300 artillery shells a day last year. Trucks carried them between the two towns.\n`,
      ),
    ]);
    it('answers when a number stands by the asked-about word', () => {
      expect(factory.ask('How many artillery shells did the factory produce?').passages[0]?.sentence.text).toMatch(/300 artillery shells/);
    });
    it('abstains when the only number is about something else', () => {
      expect(factory.ask('How many trucks were there?').abstained).toBe(true);
    });
  });

  it('restricts answers to one article when asked', () => {
    expect(engine.ask('juche', { articleId: 'no-such-article' }).abstained).toBe(true);
    expect(engine.ask('juche', { articleId: 'kim-putin-secret-talks' }).abstained).toBe(false);
  });
});
