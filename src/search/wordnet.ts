/**
 * Reads WordNet's antonyms out of its data files, for `scripts/antonyms.ts` to ship as
 * `antonyms.json` (the bot does not read 22 MB of dictionary at run time).
 */

/** A pair of one-word antonyms: part of speech (a adjective, r adverb, n noun, v verb), then the words. */
export type AntonymPair = readonly [pos: string, word: string, opposite: string];

/**
 * Positions in a sequence are opposites only in the dictionary: "when did they last meet?" is
 * answered by "their first meeting since 2019".
 */
const POSITIONS = new Set('first second third last next previous final former latter'.split(' '));

/**
 * The antonym pairs (`!` pointers) of WordNet data files (`data.adj`, `data.adv`, `data.noun`,
 * `data.verb`), one-word lemmas only, each pair once, sorted.
 */
export function antonymPairs(files: readonly string[]): AntonymPair[] {
  // A synset line: offset, lexicographer file, part of speech, word count (hex), words with lex ids,
  // pointer count, pointers (symbol, offset, part of speech, source/target word numbers in hex), gloss.
  const synsets = new Map<string, { pos: string; words: string[]; pointers: string[][] }>();
  const key = (offset: string, pos: string) => `${offset}${pos === 's' ? 'a' : pos}`;
  for (const text of files) {
    for (let at = text.indexOf(' ! '); at >= 0; at = text.indexOf(' ! ', at + 1)) {
      const start = text.lastIndexOf('\n', at) + 1;
      const end = text.indexOf('\n', at);
      const fields = (text.slice(start, end < 0 ? undefined : end).split(' | ')[0] ?? '').split(' ');
      at = end < 0 ? text.length : end;
      const count = parseInt(fields[3] ?? '0', 16);
      const words = Array.from({ length: count }, (_, k) => (fields[4 + 2 * k] ?? '').replace(/\(.*\)$/, '').toLowerCase());
      const p = 4 + 2 * count;
      const pointers = Array.from({ length: Number(fields[p] ?? 0) }, (_, k) => fields.slice(p + 1 + 4 * k, p + 5 + 4 * k));
      const pos = fields[2] === 's' ? 'a' : (fields[2] ?? '');
      synsets.set(key(fields[0] ?? '', pos), { pos, words, pointers });
    }
  }
  const pairs = new Map<string, AntonymPair>();
  for (const { pos, words, pointers } of synsets.values()) {
    for (const [symbol, offset, targetPos, sourceTarget] of pointers) {
      if (symbol !== '!' || offset === undefined || targetPos === undefined || sourceTarget === undefined) continue;
      const a = words[parseInt(sourceTarget.slice(0, 2), 16) - 1];
      const b = synsets.get(key(offset, targetPos))?.words[parseInt(sourceTarget.slice(2), 16) - 1];
      if (a === undefined || b === undefined || a === b || /[_-]/.test(a + b) || POSITIONS.has(a) || POSITIONS.has(b)) continue;
      // Antonymy is symmetric: one entry per pair, whichever direction WordNet recorded first.
      const [first, second] = a < b ? [a, b] : [b, a];
      const id = `${pos} ${first} ${second}`;
      if (!pairs.has(id)) pairs.set(id, [pos, first, second]);
    }
  }
  return [...pairs.values()].sort((x, y) => x.join(' ').localeCompare(y.join(' ')));
}

/**
 * The one-word lemmas of WordNet index files (`index.noun`, `index.verb`, `index.adj`, `index.adv`):
 * lower-case letters only, sorted, each once. Its licence lines (starting with spaces) are skipped.
 */
export function lemmaWords(files: readonly string[]): string[] {
  const words = new Set<string>();
  for (const text of files) {
    for (const line of text.split('\n')) {
      const lemma = line.slice(0, line.indexOf(' '));
      if (/^[a-z]+$/.test(lemma)) words.add(lemma);
    }
  }
  return [...words].sort();
}
