import { beforeAll, describe, expect, it } from 'vitest';
import { questionWords, terms, tokenize } from '../../src/search/analyzer.js';
import { compileAliases } from '../../src/search/aliases.js';
import { SearchEngine } from '../../src/search/engine.js';
import { parseArticle } from '../../src/corpus/parse.js';
import { corpusWarnings } from '../../src/search/corpus-warnings.js';
import { openEngine } from '../../src/search/open.js';
import { hasType, holdsNeed } from '../../src/search/answer-type.js';
import { areOpposite, baseWords, looksLikeTypo, saysNot, specificity, unknownToEnglish } from '../../src/search/english.js';
import { analyse } from '../../src/search/query.js';

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
    expect(questionWords('What does the article say about juche?').map((t) => t.term)).toEqual(['juch']);
  });
  it('places every word where it stands even when folding changes the text’s length', () => {
    // "ﬁ" folds to two letters and an accent typed apart (e + U+0301) to none, so the folded text
    // is not as long as the original and its offsets drift.
    const text = 'The ﬁrst dam holds half the water. The cafe\u0301 by the second dam failed.';
    const words = tokenize(text).map((token) => text.slice(token.start, token.end));
    expect(words).toEqual(['ﬁrst', 'dam', 'holds', 'half', 'water', 'cafe\u0301', 'second', 'dam', 'failed']);
    const asked = questionWords('Was the ﬁrst dam built by Müller?');
    expect(asked.map((word) => [word.word, word.marked])).toEqual([
      ['first', false],
      ['dam', false],
      ['built', false],
      ['muller', true],
    ]);
  });
  it('reads a number with its thousands grouped as one figure', () => {
    expect(terms('It cut 30,000 jobs in 12,000,000 homes, 3,5 and 1,2345.')).toEqual([
      'cut',
      '30000',
      'job',
      '12000000',
      'home',
      '3',
      '5',
      '1',
      '2345',
    ]);
    expect(questionWords('Why cut 1,400 jobs?').map((w) => [w.term, w.marked])).toEqual([
      ['cut', false],
      ['1400', true],
      ['job', false],
    ]);
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

describe('query analysis', () => {
  it('analyses a question once into content words, marking names and figures', () => {
    const query = analyse('When did Carl Scheele discover oxygen in 1773?');
    expect(query.words.map((w) => w.term)).toEqual(['carl', 'scheel', 'discov', 'oxygen', '1773']);
    expect(query.words.filter((w) => w.marked).map((w) => w.word)).toEqual(['carl', 'scheele', '1773']);
    expect(query.type).toBe('time');
  });
  it('does not take the capital of a question’s first word for a name', () => {
    expect(analyse('Describe the policy').words.some((w) => w.marked)).toBe(false);
    expect(analyse('NATO and the treaty').words.find((w) => w.word === 'nato')?.marked).toBe(true);
  });
  it('knows greetings, the current time and live-world words whatever their phrasing', () => {
    expect(analyse('hello!').greeting).toBe(true);
    expect(analyse('What time is it in Lisbon?').asksNow).toBe(true);
    expect(analyse('What is the weather like in Lisbon?').liveWorld).toEqual(['weather']);
    expect(analyse('When did the war end?').liveWorld).toEqual([]);
  });
  it('knows a question about what is not so from one that only says "not only" or "or not"', () => {
    expect(analyse('Which region did not invent the machine gun?').negated).toBe(true);
    expect(analyse("Why didn't the envoy go to Beijing?").negated).toBe(true);
    expect(analyse('What decides whether or not a problem is solved?').negated).toBe(false);
    expect(analyse('How powerful may or may not a machine be?').negated).toBe(false);
    expect(analyse('Who not only wrote but also sang?').negated).toBe(false);
  });
  it('asks a number of "how many" questions and a time of "when" questions', () => {
    expect(analyse('How many shells were sent?').type).toBe('quantity');
    expect(analyse('What percentage of students attend?').type).toBe('quantity');
    expect(analyse('In what year did Lavoisier publish his work?').type).toBe('time');
    expect(analyse('Which century saw the fall of the city?').type).toBe('time');
    expect(analyse('Why did the borders close?').type).toBeNull();
  });
  it('says what an answering passage must hold: a number, an age, a sum or a date', () => {
    expect(analyse('How many shells were sent?').needs).toBe('number');
    expect(analyse('How old was the painter when he left?').needs).toBe('age');
    expect(analyse('How much did the bridge cost?').needs).toBe('money');
    expect(analyse('How much was the town paid for its land?').needs).toBe('money');
    expect(analyse('On what date did the fair open?').needs).toBe('date');
    expect(analyse('What exact date was the treaty signed?').needs).toBe('date');
    // "How much" alone, or of a whole, is answered in words as often as in figures.
    expect(analyse('How much did the river rise?').needs).toBeNull();
    expect(analyse('How much of the lake can be seen from the island?').needs).toBeNull();
    expect(analyse('When did the fair open?').needs).toBeNull();
  });
});

describe('answer types', () => {
  it('finds a time of any era and form', () => {
    for (const sentence of [
      'Scheele produced it in 1773.',
      'The city fell in 476.',
      'It was built around 800 BC.',
      'Trade grew in the 14th century.',
      'Trade grew in the fourteenth century.',
      'The borders closed in January.',
      'Prices rose in the 1960s.',
    ]) {
      expect(hasType('time', sentence), sentence).toBe(true);
    }
    expect(hasType('time', 'The gas is colourless and reactive.')).toBe(false);
  });
  it('finds a number in any format, but not a bare year, for "how many"', () => {
    for (const sentence of ['They sent 300 shells.', 'About 1,200 people came.', 'It rose 7.5%.', 'Two ships sailed.', 'A dozen left.']) {
      expect(hasType('quantity', sentence), sentence).toBe(true);
    }
    expect(hasType('quantity', 'The war ended in 1953.')).toBe(false);
  });
  it('finds an age or a birth for "how old", whatever the era', () => {
    for (const sentence of [
      'She won a talent show at age seven.',
      'He left the country at the age of 20.',
      'Aged five, she saw her first concert.',
      'The bone came from a 130,000-year-old skeleton.',
      'Most breeds are a few hundred years old.',
      'Remains date from about 9,400 years ago.',
      'He was born in 1810.',
      'At 20 he dropped out of college.',
    ]) {
      expect(holdsNeed('age', sentence), sentence).toBe(true);
    }
    expect(holdsNeed('age', 'The two leaders met in January 2020.')).toBe(false);
  });
  it('finds a sum of money in any currency or scale for "how much … cost"', () => {
    for (const sentence of [
      'The tour made $24 million.',
      'The funeral cost 5,000 francs.',
      'Aid came to 788,000 yuan.',
      'It sold for €40,000,000.',
    ]) {
      expect(holdsNeed('money', sentence), sentence).toBe(true);
    }
    expect(holdsNeed('money', 'The two countries traded shells along the land route.')).toBe(false);
  });
});

describe('everyday English', () => {
  it('rates everyday words as unspecific and rare words as specific', () => {
    expect(specificity('want')).toBeLessThan(0.2);
    expect(specificity('bitcoin')).toBe(1);
    expect(specificity('population')).toBeGreaterThan(specificity('time'));
  });
  it('knows a lower-case word unknown to English from a rare word, a typo or two words run together', () => {
    for (const word of [
      'bitcoin',
      'lampooned',
      'pragmatists',
      'throguh',
      'gaurentee',
      'lumiance',
      'redsitrubute',
      'eachother',
      'theavoidance',
    ])
      expect(unknownToEnglish(word), word).toBe(false);
    for (const word of ['kardashian', 'zorvathian', 'qwzxkjhv']) expect(unknownToEnglish(word), word).toBe(true);
  });
  it('tells a typo of a common word from a name', () => {
    expect(looksLikeTypo('unkown')).toBe(true);
    expect(looksLikeTypo('handeling')).toBe(true);
    expect(looksLikeTypo('scheele')).toBe(false);
  });
  it('hears "not" in the many words English says it with', () => {
    expect(saysNot("the mill wasn't open")).toBe(true);
    expect(saysNot('officials were unable to contact the reserve')).toBe(true);
    expect(saysNot('the law forbade it')).toBe(true);
    expect(saysNot('the mill opened in 1820')).toBe(false);
  });
  it('knows antonyms in all their compared forms, but not positions in a sequence', () => {
    expect(baseWords(terms('highest')[0] ?? '')).toEqual(['high']);
    expect(areOpposite('high', 'low')).toBe(true);
    expect(areOpposite('increase', 'decrease')).toBe(true);
    expect(areOpposite('high', 'large')).toBe(false);
    expect(baseWords('last')).toEqual([]);
  });
});

describe('a reading nobody here wrote', () => {
  const engine = SearchEngine.build([
    parseArticle(
      'gases.md',
      [
        '---',
        'title: Gases of the Air',
        '---',
        '',
        'Carl Wilhelm Scheele produced the gas by heating mercuric oxide in 1773. He called it fire air.',
        '',
        'Antoine Lavoisier published his work on combustion in 1777. He named the gas and showed its role in burning.',
        '',
        '## Uses',
        '',
        'Hospitals store the liquid gas in insulated tanks. Divers breathe mixtures of it under pressure.',
        '',
        'The factory filled 300 cylinders a day. Trucks carried them between the two towns.',
      ].join('\n'),
    ),
  ]);
  it('answers "when" with a year of any era, from the sentence that holds it', () => {
    const answer = engine.ask('When did Scheele discover the gas?');
    expect(answer.abstained).toBe(false);
    expect(answer.passages[0]?.sentence.text).toMatch(/1773/);
    expect(engine.ask('In what year did Lavoisier publish his work on combustion?').passages[0]?.sentence.text).toMatch(/1777/);
  });
  it('picks the sentence that answers within the paragraph', () => {
    expect(engine.ask('What do divers breathe?').passages[0]?.sentence.text).toMatch(/^Divers breathe/);
  });
  it('abstains when a name or year of the question is nowhere in the reading', () => {
    expect(engine.ask('When did Boerhaave discover the gas?').abstained).toBe(true);
    expect(engine.ask('What did Scheele do in 1790?').abstained).toBe(true);
  });
  it('does not abstain for a misspelt common word', () => {
    expect(engine.ask('Where do hospitals store the liquid gass?').abstained).toBe(false);
    expect(engine.ask('where do hospitals stroe the liquid gas').abstained).toBe(false);
  });
  it('abstains when a word typed in lower case is unknown to English and to the reading', () => {
    expect(engine.ask('who did scheele marry, zorvathian or another').abstained).toBe(true);
    expect(engine.ask('what did scheele produce by heating mercuric oxide').abstained).toBe(false);
    // Another form of a word the reading has is not missing from it.
    const rites = SearchEngine.build([parseArticle('rites.md', '---\ntitle: Rites\n---\n\nThe zorvath ritual is danced at dawn.\n')]);
    expect(rites.ask('when is the zorvathistic ritual danced').abstained).toBe(false);
    expect(rites.ask('when is the quelmorian ritual danced').abstained).toBe(true);
  });
  it('abstains on "how many" when the passage holds no number at all', () => {
    expect(engine.ask('How many cylinders did the factory fill?').passages[0]?.sentence.text).toMatch(/300 cylinders/);
    expect(engine.ask('How many divers breathe mixtures?').abstained).toBe(true);
  });
  it('finds a figure however its thousands are written, and abstains on one the reading lacks', () => {
    const census = SearchEngine.build([
      parseArticle(
        'census.md',
        '---\ntitle: Census\n---\n\nThe city counted 30,000 people in the valley. Farmers kept 50 thousand sheep on the hills.\n',
      ),
    ]);
    expect(census.ask('Where were 30000 people counted?').passages[0]?.sentence.text).toMatch(/30,000 people/);
    expect(census.ask('Where were 50,000 sheep kept?').passages[0]?.sentence.text).toMatch(/50 thousand sheep/);
    expect(census.ask('Where were 70,000 sheep kept?').abstained).toBe(true);
  });
  it('abstains on "how old" and "on what date" when the best passage holds no age or date', () => {
    expect(engine.ask('How old was Scheele when he heated mercuric oxide?').abstained).toBe(true);
    expect(engine.ask('On what date did hospitals store the liquid gas?').abstained).toBe(true);
    expect(engine.ask('On what date did Scheele produce the gas?').abstained).toBe(false);
  });
  it('puts first a passage holding the sum asked for when the best one holds none', () => {
    const fair = SearchEngine.build([
      parseArticle(
        'fair.md',
        [
          '---\ntitle: The Fair\n---\n',
          'The town paid for the new bridge over the river. The new bridge opened for the spring fair.\n',
          'The new bridge cost $40,000.\n',
          'Sheep were sold at the fair every autumn.\n',
        ].join('\n'),
      ),
    ]);
    const answer = fair.ask('How much did the town pay for the new bridge?');
    expect(answer.passages[0]?.sentence.text).toMatch(/\$40,000/);
    expect(answer.passages[1]?.sentence.text).toMatch(/town paid/);
    expect(fair.ask('How old was the new bridge when the town paid for it?').abstained).toBe(true);
  });
  it('abstains when the question says "not" and a passage holding the rest of it never does', () => {
    expect(engine.ask('Who did not produce the gas by heating mercuric oxide?').abstained).toBe(true);
    const mills = SearchEngine.build([
      parseArticle('mills.md', '---\ntitle: Mills\n---\n\nThe river mill did not open in winter. The hill mill ground grain all year.\n'),
    ]);
    expect(mills.ask('When did the river mill not open?').passages[0]?.sentence.text).toMatch(/did not open/);
  });
  it('abstains when the passage has the antonym where the question has its word', () => {
    const towns = SearchEngine.build([
      parseArticle(
        'towns.md',
        [
          '---\ntitle: Towns\n---\n',
          'The largest city of the province is Tarsk, on the river. Its mill is old.\n',
          'The smallest coin of the old kingdom was the penny. Farmers paid their rent in pennies.\n',
          'Sheep graze the hills above the valley. Wool was sold at the autumn fair.\n',
        ].join('\n'),
      ),
    ]);
    expect(towns.ask('What is the largest city of the province?').passages[0]?.sentence.text).toMatch(/Tarsk/);
    expect(towns.ask('What is the smallest city of the province?').abstained).toBe(true);
    expect(towns.ask('Which small mill is on the river?').abstained).toBe(false);
  });
  it('abstains on the live world in words the reading never uses', () => {
    expect(engine.ask('What is the weather like near the factory?').abstained).toBe(true);
    expect(engine.ask('What time is it?').abstained).toBe(true);
  });
  it('reads an acronym the text spells out, a compound it writes in two words, and a name’s other forms', () => {
    const city = SearchEngine.build([
      parseArticle(
        'city.md',
        [
          '---',
          'title: A City',
          '---',
          '',
          'New York City has five boroughs. The Super Bowl was played nearby in 2014.',
          '',
          'Nepal has many private schools, and Germany has few.',
          '',
          'The harbour is deep and the winters are cold.',
        ].join('\n'),
      ),
    ]);
    expect(city.ask('How many boroughs does NYC have?').passages[0]?.paragraph).toBe(1);
    expect(city.ask('Where was the superbowl?').passages[0]?.paragraph).toBe(1);
    expect(city.ask('Are there private schools in Nepalese towns?').abstained).toBe(false);
    expect(city.ask('Are German schools private?').passages[0]?.paragraph).toBe(2);
  });
  it('costs a bounded number of terms however long the question', () => {
    const long = Array.from({ length: 300 }, (_, i) => `word${i}x`).join(' ');
    expect(engine.plan(analyse(`${long} Scheele`)).length).toBeLessThanOrEqual(16);
  });
  it('searches at most 32 terms, aliases and name forms included, so the top-k scorer never gives up', () => {
    const names = Array.from({ length: 40 }, (_, i) => `Name${String.fromCharCode(97 + (i % 26))}${i}`);
    const crowded = SearchEngine.build(
      [parseArticle('names.md', `---\ntitle: Names\n---\n\n${names.map((n) => `${n}ab ${n}cd ${n}ef ${n}gh.`).join(' ')}\n`)],
      compileAliases({ aliases: Object.fromEntries(names.map((n) => [n, `${n}ab ${n}cd`])) }),
    );
    const groups = crowded.plan(analyse(`Who are ${names.join(' and ')}?`));
    expect(groups.length).toBe(16);
    expect(groups.reduce((sum, g) => sum + 1 + g.alternates.length, 0)).toBeLessThanOrEqual(32);
  });
  it('scores a bounded share of an absurdly long paragraph, and still finds it', () => {
    const wall = `${'Filler words run on and on without end. '.repeat(18_000)}The vault opens at dawn.`;
    const huge = SearchEngine.build([
      parseArticle('wall.md', `---\ntitle: Wall\n---\n\nThe vault keeps gold. ${wall}\n\nThe river is wide.\n`),
    ]);
    expect(wall.length).toBeGreaterThan(700_000);
    const answer = huge.ask('What does the vault keep?');
    expect(answer.passages[0]?.paragraph).toBe(1);
    expect(answer.passages[0]?.sentence.text).toBe('The vault keeps gold.');
    // Only the first 20,000 characters are tokenised for sentence scoring, so highlights stop there.
    expect(Math.max(...(answer.passages[0]?.highlights ?? []).map((h) => h.end))).toBeLessThanOrEqual(20_000);
  });
});

describe('SearchEngine on the article', () => {
  let engine: SearchEngine;
  beforeAll(async () => {
    engine = await openEngine('test/fixtures/corpus');
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
      for (const word of ['kimchi', 'kimono']) expect(engine.plan(analyse(word))[0]).toMatchObject({ known: false, prefix: true });
      expect(engine.ask('kimono').abstained).toBe(true);
    });
  });

  it('restricts answers to one article when asked', () => {
    expect(engine.ask('juche', { articleId: 'no-such-article' }).abstained).toBe(true);
    expect(engine.ask('juche', { articleId: 'kim-putin-secret-talks' }).abstained).toBe(false);
  });
});

describe('corpus warnings', () => {
  it('names a paragraph too long to be searched sentence by sentence, and nothing else', () => {
    const long = parseArticle('long.md', `---\ntitle: Long\n---\n\nShort one.\n\n${'Word after word. '.repeat(2_000)}\n`);
    expect(corpusWarnings([long])).toEqual([
      expect.stringMatching(/^long\.md: ¶2 is [\d,]+ characters; answers come only from its first 20,000/),
    ]);
    expect(corpusWarnings([parseArticle('fine.md', '---\ntitle: Fine\n---\n\nA paragraph.\n')])).toEqual([]);
  });
});
