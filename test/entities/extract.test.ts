import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { parseArticle } from '../../src/corpus/parse.js';
import type { Article } from '../../src/corpus/types.js';
import { buildDirectory, type Directory, type Entity } from '../../src/entities/index.js';
import { FIXTURE_CORPUS } from '../support/fixtures.js';

const ARTICLE = 'kim-putin-secret-talks';
const SECOND = 'norway-chile-lithium-pact';
const corpusDir = FIXTURE_CORPUS;
const twoDir = fileURLToPath(new URL('../fixtures/corpus-two', import.meta.url));

async function load(dir: string): Promise<readonly Article[]> {
  const { articles, errors } = await loadCorpus(dir);
  expect(errors.map((e) => e.message)).toEqual([]);
  return articles;
}

function entry(directory: Directory, name: string): Entity {
  const found = directory.entries.find((e) => e.name === name);
  if (found === undefined) throw new Error(`no entry named ${name}; have ${directory.entries.map((e) => e.name).join(', ')}`);
  return found;
}

function names(directory: Directory, kind: Entity['kind']): string[] {
  return directory.entries.filter((e) => e.kind === kind).map((e) => e.name);
}

describe('buildDirectory', () => {
  describe('on the Kim–Putin article', () => {
    let articles: readonly Article[];
    let directory: Directory;
    beforeAll(async () => {
      articles = await load(corpusDir);
      directory = buildDirectory(articles);
    });

    it('lists exactly the four people the article names', () => {
      expect(names(directory, 'person').sort()).toEqual(['Donald Trump', 'Kim Jong Un', 'Sergei Shoigu', 'Vladimir Putin']);
    });

    it.each([
      ['Kim Jong Un', 'North Korean leader', 1],
      ['Vladimir Putin', 'President', 1],
      ['Sergei Shoigu', 'Russian Defense Minister', 3],
      ['Donald Trump', 'former U.S. President', 1],
    ])('gives %s the role “%s”, attributed to ¶%i and the sentence that states it', (name, role, paragraph) => {
      const person = entry(directory, name);
      expect(person.role?.text).toBe(role);
      expect(person.role?.article).toBe(ARTICLE);
      expect(person.role?.paragraph).toBe(paragraph);
      expect(person.role?.sentence).toContain(`${role} ${name}`);
      const stated = articles[0]?.paragraphs[paragraph - 1]?.sentences.map((s) => s.text);
      expect(stated).toContain(person.role?.sentence);
    });

    it('resolves “Kim” and “Kim’s” to Kim Jong Un, one mention per sentence, in order', () => {
      const kim = entry(directory, 'Kim Jong Un');
      expect(kim.mentions.map((m) => m.paragraph)).toEqual([1, 1, 3, 6, 7, 8, 11]);
      expect(kim.mentions.every((m) => m.article === ARTICLE)).toBe(true);
      expect(kim.mentions[1]?.sentence).toMatch(/^The potential summit would mark Kim’s first meeting/);
      expect(kim.mentions[6]?.sentence).toContain('the outcome of Kim’s diplomacy');
      expect(kim.aliases).toContain('Kim');
    });

    it('resolves “Shoigu” and “Putin” alone to the full names', () => {
      const shoigu = entry(directory, 'Sergei Shoigu');
      expect(shoigu.mentions.map((m) => m.paragraph)).toEqual([3, 9]);
      expect(shoigu.mentions[1]?.sentence).toMatch(/^Russian Defense Minister Shoigu mentioned/);
      expect(entry(directory, 'Vladimir Putin').mentions.map((m) => m.paragraph)).toEqual([1, 3, 6]);
      expect(entry(directory, 'Donald Trump').mentions.map((m) => m.paragraph)).toEqual([1]);
    });

    it('takes no headings, title fragments or ordinary words for people', () => {
      const all = directory.entries.flatMap((e) => [e.name, ...e.aliases]).map((n) => n.toLowerCase());
      for (const wrong of [
        'kim wants',
        'minister sergei',
        'kim jong',
        'mark north',
        'mark kim',
        'korean war',
        'border',
        'furthermore',
        'north',
        'secret talks',
        'what russia wants',
      ]) {
        expect(all).not.toContain(wrong);
      }
    });

    it('lists the countries and the U.N. with their kinds', () => {
      expect(names(directory, 'place').sort()).toEqual(
        ['China', 'Iran', 'Japan', 'North Korea', 'Russia', 'South Korea', 'Ukraine', 'United States'].sort(),
      );
      expect(names(directory, 'organization')).toEqual(['United Nations']);
    });

    it('gives places and bodies the aliases people type', () => {
      expect(entry(directory, 'North Korea').aliases).toEqual(expect.arrayContaining(['Pyongyang', 'DPRK', 'North Korean']));
      expect(entry(directory, 'Russia').aliases).toEqual(expect.arrayContaining(['Moscow', 'the Kremlin', 'Russian']));
      expect(entry(directory, 'United States').aliases).toEqual(expect.arrayContaining(['U.S.', 'US', 'USA', 'America', 'Washington']));
      expect(entry(directory, 'United Nations').aliases).toEqual(expect.arrayContaining(['U.N.', 'UN']));
    });

    it('counts capitals and adjective forms as mentions of the place', () => {
      const northKorea = entry(directory, 'North Korea');
      expect(northKorea.mentions.some((m) => m.sentence.startsWith('Russian Defense Minister Sergei Shoigu’s visit to Pyongyang'))).toBe(
        true,
      );
      expect(northKorea.mentions.some((m) => m.sentence.startsWith('North Korean leaders have historically valued'))).toBe(true);
      expect(entry(directory, 'Russia').mentions.some((m) => m.sentence.includes('relations with Moscow'))).toBe(true);
      expect(entry(directory, 'Ukraine').mentions.some((m) => m.sentence.includes('quash a Ukrainian counteroffensive'))).toBe(true);
      expect(entry(directory, 'United Nations').mentions.map((m) => m.paragraph)).toEqual([4]);
      expect(entry(directory, 'United States').mentions.some((m) => m.sentence.startsWith('U.S. officials have revealed'))).toBe(true);
    });

    it('does not list a place the article only uses as an adjective (“Soviet-era”)', () => {
      expect(directory.entries.map((e) => e.name)).not.toContain('Soviet Union');
    });

    it('records who appears with whom, by shared sentences, most first', () => {
      const kim = entry(directory, 'Kim Jong Un');
      expect(kim.appearsWith.find((a) => a.name === 'Vladimir Putin')?.count).toBe(3);
      expect(kim.appearsWith.find((a) => a.name === 'Donald Trump')?.count).toBe(1);
      const counts = kim.appearsWith.map((a) => a.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(kim.appearsWith.some((a) => a.id === kim.id)).toBe(false);
      const shoigu = entry(directory, 'Sergei Shoigu');
      expect(shoigu.appearsWith.map((a) => a.name).sort()).toEqual(['China', 'North Korea', 'Russia']);
      // Symmetric: what Kim shares with Putin, Putin shares with Kim.
      expect(entry(directory, 'Vladimir Putin').appearsWith.find((a) => a.id === kim.id)?.count).toBe(3);
      for (const other of kim.appearsWith) expect(directory.get(other.id)?.name).toBe(other.name);
    });

    it('gives every entry a unique id that get() returns', () => {
      const ids = directory.entries.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of directory.entries) expect(directory.get(e.id)).toBe(e);
      expect(directory.get('nobody')).toBeUndefined();
    });
  });

  describe('with front-matter entities', () => {
    const text = `---
title: Envoys in Pyongyang
entities:
  - name: Kim Jong Un
    role: Supreme Leader
    aliases: [Rocket Man]
  - name: Choe Son Hui
    role: foreign minister
  - name: Juche Institute
    kind: place
  - name: Russia
    aliases: [Rossiya]
  - name: Soviet Union
  - name: Trump
    role: former U.S. President
---

North Korean leader Kim Jong Un met envoys in Pyongyang on Monday. Rocket Man smiled, one aide recalled.

Choe Son Hui, who serves as foreign minister, travelled with him to the Juche Institute, which welcomed the Rossiya delegation.

Old Soviet-era trucks waited outside, and President Donald Trump was not invited.
`;
    let directory: Directory;
    beforeAll(() => {
      directory = buildDirectory([parseArticle('envoys.md', text)]);
    });

    it('replaces the detected role and attributes a role the text does not state to paragraph 0', () => {
      const kim = entry(directory, 'Kim Jong Un');
      expect(kim.role).toEqual({ text: 'Supreme Leader', article: 'envoys', paragraph: 0, sentence: '' });
    });

    it('matches a front-matter alias in the text and in lookups', () => {
      const kim = entry(directory, 'Kim Jong Un');
      expect(kim.aliases).toContain('Rocket Man');
      expect(kim.mentions.map((m) => m.sentence)).toContain('Rocket Man smiled, one aide recalled.');
      expect(directory.lookup('rocket man').entity?.name).toBe('Kim Jong Un');
      expect(entry(directory, 'Russia').mentions.map((m) => m.paragraph)).toEqual([2]);
    });

    it('adds a person the rules missed, with mentions and the role located where the text states it', () => {
      const choe = entry(directory, 'Choe Son Hui');
      expect(choe.kind).toBe('person');
      expect(choe.role).toEqual({
        text: 'foreign minister',
        article: 'envoys',
        paragraph: 2,
        sentence:
          'Choe Son Hui, who serves as foreign minister, travelled with him to the Juche Institute, which welcomed the Rossiya delegation.',
      });
      expect(choe.mentions.map((m) => m.paragraph)).toEqual([2]);
      expect(directory.lookup('Choe').entity?.name).toBe('Choe Son Hui');
    });

    it('corrects a kind and lists a place named only as an adjective', () => {
      expect(entry(directory, 'Juche Institute').kind).toBe('place');
      expect(entry(directory, 'Soviet Union').mentions.map((m) => m.paragraph)).toEqual([3]);
    });

    it('applies an entry given by surname to the person of that surname', () => {
      const trump = entry(directory, 'Donald Trump');
      expect(trump.role?.text).toBe('former U.S. President');
      expect(trump.role?.paragraph).toBe(0);
      expect(names(directory, 'person')).not.toContain('Trump');
    });
  });

  describe('on common news constructions', () => {
    const text = `---
title: Constructions
---

Secretary of State Antony Blinken met Chinese Foreign Minister Wang Yi in Beijing. Gen. Mark Milley listened.

Mark Rutte, NATO’s secretary-general, told reporters the alliance was ready. Rutte added that talks would continue.

Kim Yo Jong, the sister of the North Korean leader, said Pyongyang would respond. Victoria Nuland visited Washington.

Analysts at Goldman Sachs expect growth. Queen Elizabeth II was remembered in the Korean War museum.
`;
    let directory: Directory;
    beforeAll(() => {
      directory = buildDirectory([parseArticle('constructions.md', text)]);
    });

    it('reads offices with “of”, hyphenated titles and abbreviated ones', () => {
      expect(entry(directory, 'Antony Blinken').role?.text).toBe('Secretary of State');
      expect(entry(directory, 'Wang Yi').role?.text).toBe('Chinese Foreign Minister');
      expect(entry(directory, 'Mark Rutte').role?.text).toBe('NATO’s secretary-general');
      expect(entry(directory, 'Mark Milley').role?.text).toBe('Gen.');
      expect(entry(directory, 'Elizabeth II').role?.text).toBe('Queen');
    });

    it('takes a name described in apposition or used again alone for a person, and nothing else', () => {
      expect(names(directory, 'person').sort()).toEqual([
        'Antony Blinken',
        'Elizabeth II',
        'Kim Yo Jong',
        'Mark Milley',
        'Mark Rutte',
        'Wang Yi',
      ]);
    });

    it('does not let a first name shared by two people, or a capital that is also a name, stand for the wrong one', () => {
      expect(entry(directory, 'Mark Milley').mentions.map((m) => m.paragraph)).toEqual([1]);
      expect(entry(directory, 'Mark Rutte').mentions.map((m) => m.paragraph)).toEqual([2, 2]);
      expect(names(directory, 'place')).not.toContain('Seychelles');
      expect(entry(directory, 'United States').mentions.map((m) => m.sentence)).toEqual(['Victoria Nuland visited Washington.']);
    });
  });

  describe('on a second article with other people', () => {
    let directory: Directory;
    beforeAll(async () => {
      directory = buildDirectory(await load(twoDir));
    });

    it('finds the new people with their roles, accents and hyphens kept', () => {
      expect(names(directory, 'person').sort()).toEqual([
        'Donald Trump',
        'Erik Larsen',
        'Ingrid Larsen',
        'José Ramírez-Ortega',
        'Kim Jong Un',
        'Marta Ramírez',
        'Sergei Shoigu',
        'Vladimir Putin',
      ]);
      const roles = Object.fromEntries(
        directory.entries.filter((e) => e.kind === 'person').map((e) => [e.name, [e.role?.text, e.role?.article, e.role?.paragraph]]),
      );
      expect(roles['Erik Larsen']).toEqual(['Norwegian Prime Minister', SECOND, 1]);
      expect(roles['José Ramírez-Ortega']).toEqual(['Chilean Foreign Minister', SECOND, 1]);
      expect(roles['Ingrid Larsen']).toEqual(['chief executive of Nordvik Industries', SECOND, 3]);
      expect(roles['Marta Ramírez']).toEqual(['opposition senator', SECOND, 5]);
      expect(roles['Kim Jong Un']).toEqual(['North Korean leader', ARTICLE, 1]);
    });

    it('finds the bodies and the new countries', () => {
      expect(names(directory, 'organization').sort()).toEqual([
        'Chilean Senate',
        'European Union',
        'NATO',
        'Nordvik Industries',
        'United Nations',
      ]);
      expect(names(directory, 'place')).toEqual(expect.arrayContaining(['Norway', 'Chile', 'Argentina', 'Sweden']));
      expect(entry(directory, 'Chile').mentions.some((m) => m.sentence.includes('Santiago would keep control'))).toBe(true);
    });

    it('does not take its headings for people or places', () => {
      const all = directory.entries.map((e) => e.name.toLowerCase());
      for (const wrong of ['who pays', 'chile gets', 'mines', 'return', 'critics']) expect(all).not.toContain(wrong);
    });

    it('gives a shared surname to the person named last', () => {
      const erik = entry(directory, 'Erik Larsen');
      const ingrid = entry(directory, 'Ingrid Larsen');
      expect(erik.mentions.map((m) => m.sentence)).toContain(
        'Larsen called the deal “a bridge between two coasts” and said Norway would guarantee part of the financing.',
      );
      expect(ingrid.mentions.map((m) => m.sentence)).toContain(
        'Larsen, who is not related to the prime minister, said construction could begin next year if permits arrive on time.',
      );
      expect(erik.mentions.map((m) => m.paragraph)).toEqual([1, 1, 6]);
      expect(ingrid.mentions.every((m) => m.article === SECOND)).toBe(true);
    });

    it('resolves a double surname used alone', () => {
      const jose = entry(directory, 'José Ramírez-Ortega');
      expect(jose.mentions.map((m) => m.paragraph)).toEqual([1, 2, 5]);
      expect(jose.aliases).toContain('Ramírez-Ortega');
    });

    it('keeps each article’s mentions attributed to it', () => {
      const china = entry(directory, 'China');
      expect(china.mentions.map((m) => m.article)).toEqual([ARTICLE, ARTICLE, SECOND]);
    });
  });
});
