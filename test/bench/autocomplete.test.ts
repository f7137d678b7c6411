import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TitleAutocomplete } from '../../src/search/autocomplete.js';

const TITLES = [
  { value: 'kim-putin', name: "North Korea's Kim and Russia's Putin in Secret Talks" },
  { value: 'korea-drills', name: 'South Korea Holds Drills' },
  { value: 'cafe', name: 'Café Culture in Pyongyang' },
  { value: 'north-sea', name: 'North Sea Oil' },
  { value: 'putin-trip', name: 'Putin’s Trip East' },
  { value: 'sea-battles', name: 'Sea Battles' },
];

const values = (items: readonly { value: string }[]): string[] => items.map((item) => item.value);

describe('TitleAutocomplete', () => {
  const titles = new TitleAutocomplete(TITLES);

  describe('when nothing is typed', () => {
    it('lists items in name order, at most the limit', () => {
      expect(values(titles.suggest(''))).toEqual(['cafe', 'kim-putin', 'north-sea', 'putin-trip', 'sea-battles', 'korea-drills']);
      expect(titles.suggest('   ', 2)).toHaveLength(2);
    });
  });

  describe('when a prefix is typed', () => {
    it('puts names that start with it first, then names with a word that starts with it', () => {
      expect(values(titles.suggest('sea'))).toEqual(['sea-battles', 'north-sea']);
      expect(values(titles.suggest('nor'))).toEqual(['kim-putin', 'north-sea']);
      expect(values(titles.suggest('kor'))).toEqual(['kim-putin', 'korea-drills']);
    });

    it('needs every typed word to start a word of the name, in any order', () => {
      expect(values(titles.suggest('putin kim'))).toEqual(['kim-putin']);
      expect(values(titles.suggest('north oil'))).toEqual(['north-sea']);
      expect(titles.suggest('north zebra')).toEqual([]);
    });

    it('ignores case, accents, apostrophes and punctuation', () => {
      expect(values(titles.suggest('CAFE'))).toEqual(['cafe']);
      expect(values(titles.suggest('putin’s tr'))).toEqual(['putin-trip']);
      expect(values(titles.suggest('korea’s'))).toEqual(['kim-putin', 'korea-drills']);
    });
  });

  it('keeps within Discord’s limits: 25 choices, names of at most 100 characters', () => {
    const many = new TitleAutocomplete(
      Array.from({ length: 60 }, (_, i) => ({ value: `a${i}`, name: `Article ${i} ${'long words '.repeat(15)}` })),
    );
    const suggested = many.suggest('art', 50);
    expect(suggested).toHaveLength(25);
    for (const item of suggested) expect([...item.name].length).toBeLessThanOrEqual(100);
  });

  it('never throws and never returns more than asked, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: -5, max: 40 }), (typed, limit) => {
        const suggested = titles.suggest(typed, limit);
        expect(suggested.length).toBeLessThanOrEqual(Math.max(0, Math.min(limit, 25)));
      }),
    );
  });

  it('built a slice per turn, suggests exactly what the constructor does', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ value: `a${i}`, name: `${TITLES[i % TITLES.length]?.name ?? ''} ${i % 97}` }));
    const built = await TitleAutocomplete.build(many);
    const direct = new TitleAutocomplete(many);
    for (const typed of ['', 'sea', 'north 4', 'putin 9', 'café', 'kim 12', 'zebra'])
      expect(built.suggest(typed)).toEqual(direct.suggest(typed));
  });
});
