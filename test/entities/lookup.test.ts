import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { parseArticle } from '../../src/corpus/parse.js';
import { buildDirectory, Directory, toWhoIsJson, type Entity } from '../../src/entities/index.js';
import { FIXTURE_CORPUS } from '../support/fixtures.js';

const corpusDir = FIXTURE_CORPUS;
const twoDir = fileURLToPath(new URL('../fixtures/corpus-two', import.meta.url));

async function directoryOf(dir: string): Promise<Directory> {
  const { articles, errors } = await loadCorpus(dir);
  expect(errors).toEqual([]);
  return buildDirectory(articles);
}

describe('Directory', () => {
  let directory: Directory;
  beforeAll(async () => {
    directory = await directoryOf(corpusDir);
  });

  describe('lookup', () => {
    describe('when the query is a name the article uses, however written', () => {
      it.each([
        ['Kim Jong Un', 'Kim Jong Un'],
        ['kim jong un', 'Kim Jong Un'],
        ['Kim Jong-un', 'Kim Jong Un'],
        ['KIM JONG UN', 'Kim Jong Un'],
        ['kimjongun', 'Kim Jong Un'],
        ['Kim', 'Kim Jong Un'],
        ['Kim’s', 'Kim Jong Un'],
        ['Jong Un', 'Kim Jong Un'],
        ['putin', 'Vladimir Putin'],
        ["putin's", 'Vladimir Putin'],
        ['Vladimir', 'Vladimir Putin'],
        ['President Putin', 'Vladimir Putin'],
        ['Mr. Putin', 'Vladimir Putin'],
        ['who is Putin?', 'Vladimir Putin'],
        ['sergei', 'Sergei Shoigu'],
        ['Shoigu', 'Sergei Shoigu'],
        ['Donald', 'Donald Trump'],
        ['trump', 'Donald Trump'],
      ])('resolves %j to %s', (query, name) => {
        const result = directory.lookup(query);
        expect(result.entity?.name).toBe(name);
        expect(result.ambiguous).toBe(false);
        expect(result.query).toBe(query);
      });
    });

    describe('when the query has a typo', () => {
      it.each([
        ['shoygu', 'Sergei Shoigu'],
        ['Sergey Shoygu', 'Sergei Shoigu'],
        ['Vladmir Putn', 'Vladimir Putin'],
        ['vladimir puttin', 'Vladimir Putin'],
        ['Donald Trumpp', 'Donald Trump'],
        ['Rusia', 'Russia'],
        ['Japn', 'Japan'],
      ])('resolves %j to %s', (query, name) => {
        expect(directory.lookup(query).entity?.name).toBe(name);
      });
    });

    describe('when the query is a role', () => {
      it.each([
        ['Defense Minister', 'Sergei Shoigu'],
        ['defence minister', 'Sergei Shoigu'],
        ['North Korean leader', 'Kim Jong Un'],
        ['former president', 'Donald Trump'],
      ])('resolves %j to %s', (query, name) => {
        expect(directory.lookup(query).entity?.name).toBe(name);
      });

      it('is ambiguous when two people hold it', () => {
        const result = directory.lookup('President');
        expect(result.entity).toBeNull();
        expect(result.ambiguous).toBe(true);
        expect(result.suggestions.sort()).toEqual(['Donald Trump', 'Vladimir Putin']);
      });
    });

    describe('when the query names a place or body', () => {
      it.each([
        ['Pyongyang', 'North Korea'],
        ['DPRK', 'North Korea'],
        ['north korea', 'North Korea'],
        ['Moscow', 'Russia'],
        ['the Kremlin', 'Russia'],
        ['Kremlin', 'Russia'],
        ['Russian', 'Russia'],
        ['Washington', 'United States'],
        ['US', 'United States'],
        ['U.S.', 'United States'],
        ['USA', 'United States'],
        ['America', 'United States'],
        ['the United States', 'United States'],
        ['Seoul', 'South Korea'],
        ['Tokyo', 'Japan'],
        ['Beijing', 'China'],
        ['Kyiv', 'Ukraine'],
        ['Tehran', 'Iran'],
        ['UN', 'United Nations'],
        ['U.N.', 'United Nations'],
        ['United Nations', 'United Nations'],
      ])('resolves %j to %s', (query, name) => {
        expect(directory.lookup(query).entity?.name).toBe(name);
      });

      it('is ambiguous for “Korea”', () => {
        const result = directory.lookup('Korea');
        expect(result).toMatchObject({ entity: null, ambiguous: true });
        expect(result.suggestions.sort()).toEqual(['North Korea', 'South Korea']);
      });
    });

    describe('when the article does not mention the name', () => {
      it.each(['Biden', 'Xi Jinping', 'Zelensky', 'Obama'])('returns no entity for %j and up to five mentioned people', (query) => {
        const result = directory.lookup(query);
        expect(result.entity).toBeNull();
        expect(result.ambiguous).toBe(false);
        expect(result.suggestions.length).toBeGreaterThan(0);
        expect(result.suggestions.length).toBeLessThanOrEqual(5);
        const persons = directory.entries.filter((e) => e.kind === 'person').map((e) => e.name);
        expect(persons).toContain(result.suggestions[0]);
        const all = directory.entries.map((e) => e.name);
        for (const name of result.suggestions) expect(all).toContain(name);
      });

      it.each([
        'Kimball',
        'Kimono',
        'Putnam',
        'Shogun',
        'Xi',
        'Kim Jong Il',
        'kimjongil',
        'Kim Yo Jong',
        'Donald Duck',
        'Vladimir Zelensky',
        'Sergeant',
        'Trumpet',
        'Soviet',
        'George Washington',
      ])('does not turn the near miss %j into someone it mentions', (query) => {
        expect(directory.lookup(query).entity).toBeNull();
      });

      it('does not turn a country it does not mention into one it does (“Iraq” is not “Iran”)', () => {
        const result = directory.lookup('Iraq');
        expect(result.entity).toBeNull();
        expect(result.suggestions[0]).toBe('Iran');
      });

      it('suggests the closest names first', () => {
        expect(directory.lookup('Putnam').suggestions[0]).toBe('Vladimir Putin');
        expect(directory.lookup('Shogun').suggestions[0]).toBe('Sergei Shoigu');
      });
    });

    it('answers an empty query with nothing', () => {
      expect(directory.lookup('   ')).toEqual({ query: '   ', entity: null, suggestions: [], ambiguous: false });
    });

    it('never throws and only ever returns entries of the directory', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (query) => {
          const result = directory.lookup(query);
          if (result.entity !== null) expect(directory.entries).toContain(result.entity);
          expect(result.suggestions.length).toBeLessThanOrEqual(5);
          for (const name of result.suggestions) expect(directory.entries.some((e) => e.name === name)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('when two people share a name', () => {
    let two: Directory;
    beforeAll(async () => {
      two = await directoryOf(twoDir);
    });

    it.each([
      ['Larsen', ['Erik Larsen', 'Ingrid Larsen']],
      ['Ramírez', ['José Ramírez-Ortega', 'Marta Ramírez']],
    ])('returns no entity for %j and the candidates as suggestions', (query, candidates) => {
      const result = two.lookup(query);
      expect(result.entity).toBeNull();
      expect(result.ambiguous).toBe(true);
      expect([...result.suggestions].sort()).toEqual(candidates);
    });

    it.each([
      ['Erik Larsen', 'Erik Larsen'],
      ['ingrid', 'Ingrid Larsen'],
      ['Ingrid Larson', 'Ingrid Larsen'],
      ['Ramirez-Ortega', 'José Ramírez-Ortega'],
      ['jose ramirez ortega', 'José Ramírez-Ortega'],
      ['Marta Ramirez', 'Marta Ramírez'],
      ['prime minister', 'Erik Larsen'],
      ['Oslo', 'Norway'],
      ['Santiago', 'Chile'],
      ['nato', 'NATO'],
      ['EU', 'European Union'],
    ])('still resolves %j to %s', (query, name) => {
      expect(two.lookup(query).entity?.name).toBe(name);
    });
  });

  describe('autocomplete', () => {
    it('matches a prefix of any word of a name or alias', () => {
      expect(directory.autocomplete('pu').map((e) => e.name)).toEqual(['Vladimir Putin']);
      expect(directory.autocomplete('jong').map((e) => e.name)).toEqual(['Kim Jong Un']);
      expect(directory.autocomplete('kre').map((e) => e.name)).toEqual(['Russia']);
      expect(directory.autocomplete('Kim Jong-').map((e) => e.name)).toEqual(['Kim Jong Un']);
    });

    it('falls back to near misses', () => {
      expect(directory.autocomplete('vladmir').map((e) => e.name)).toEqual(['Vladimir Putin']);
      expect(directory.autocomplete('shoygu').map((e) => e.name)).toEqual(['Sergei Shoigu']);
      expect(directory.autocomplete('xyzzy')).toEqual([]);
    });

    it('puts people first', () => {
      const kinds = directory.autocomplete('k').map((e) => e.kind);
      expect(kinds[0]).toBe('person');
      expect(kinds).toContain('place');
      expect(kinds.lastIndexOf('person')).toBeLessThan(kinds.indexOf('place'));
      const all = directory.autocomplete('');
      expect(all).toHaveLength(directory.entries.length);
      const firstNonPerson = all.findIndex((e) => e.kind !== 'person');
      expect(all.slice(firstNonPerson).every((e) => e.kind !== 'person')).toBe(true);
    });

    it('ranks a match on the name above a match on an alias only', () => {
      const names = directory.autocomplete('u').map((e) => e.name);
      expect(names.indexOf('United States')).toBeLessThan(names.indexOf('Ukraine'));
    });

    it('returns at most the limit, and never more than 25', () => {
      const many: Entity[] = Array.from({ length: 40 }, (_, i) => ({
        id: `p${i}`,
        name: `Person Number${i}`,
        kind: 'person',
        role: null,
        aliases: [],
        mentions: [],
        appearsWith: [],
      }));
      const big = new Directory(many);
      expect(big.autocomplete('person')).toHaveLength(25);
      expect(big.autocomplete('person', 100)).toHaveLength(25);
      expect(big.autocomplete('person', 3)).toHaveLength(3);
      expect(big.autocomplete('person', 0)).toEqual([]);
    });

    it('never offers a name longer than 100 characters', () => {
      const long = 'A'.repeat(60) + ' ' + 'B'.repeat(80);
      const article = parseArticle('long.md', `---\ntitle: Long\nentities:\n  - name: ${long}\n---\n\nNothing here.\n`);
      const names = buildDirectory([article])
        .autocomplete('a')
        .map((e) => e.name);
      expect(names).toHaveLength(1);
      expect(names[0]?.length).toBeLessThanOrEqual(100);
    });
  });

  describe('toWhoIsJson', () => {
    it('gives the entity’s name, kind, role text, aliases and mentions', () => {
      const json = toWhoIsJson(directory.lookup('shoigu'));
      expect(Object.keys(json)).toEqual(['query', 'entity', 'suggestions']);
      expect(json.entity).toMatchObject({ name: 'Sergei Shoigu', kind: 'person', role: 'Russian Defense Minister', aliases: ['Shoigu'] });
      expect(json.entity?.mentions[0]).toEqual({
        article: 'kim-putin-secret-talks',
        paragraph: 3,
        sentence: expect.stringMatching(/^Russian Defense Minister Sergei Shoigu’s visit/) as string,
      });
      expect(Object.keys(json.entity ?? {})).toEqual(['name', 'kind', 'role', 'aliases', 'mentions']);
    });

    it('gives null and suggestions when not mentioned', () => {
      const json = toWhoIsJson(directory.lookup('Obama'));
      expect(json.entity).toBeNull();
      expect(json.query).toBe('Obama');
      expect(json.suggestions.length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    });
  });
});
