/**
 * Folds text for matching: Unicode compatibility form, accents removed, curly quotes and
 * apostrophes made straight, dashes made hyphens, lower case. "Shoigu’s" → "shoigu's".
 */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[‘’ʼ′`´]/g, "'")
    .replace(/[“”«»„″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .toLowerCase();
}

/** Folded text and where its words came from in the original. */
export interface FoldedText {
  readonly text: string;
  /** The range of the original text that the folded range [start, end) came from. */
  readonly source: (start: number, end: number) => { start: number; end: number };
}

/** Anything but printable ASCII and line breaks: only these might fold to another length. */
const NON_ASCII = /[^ -~\t\n\r]/gu;
/** Whether folding a non-ASCII character keeps its length, per character seen (bounded). */
const keepsLength = new Map<string, boolean>();

function foldKeepsLength(character: string): boolean {
  let keeps = keepsLength.get(character);
  if (keeps === undefined) {
    keeps = fold(character).length === character.length;
    if (keepsLength.size < 10_000) keepsLength.set(character, keeps);
  }
  return keeps;
}

/**
 * {@link fold}, keeping track of where each folded character came from. Folding usually keeps every
 * character's length (then ranges are the identity); a ligature ("ﬁ" → "fi"), a compatibility form
 * ("½" → "1⁄2") or an accent typed apart from its letter changes it, and then each character is
 * folded alone so ranges still land on the right words.
 */
export function foldMapped(text: string): FoldedText {
  let aligned = true;
  for (const match of text.matchAll(NON_ASCII)) {
    if (!foldKeepsLength(match[0])) {
      aligned = false;
      break;
    }
  }
  if (aligned) return { text: fold(text), source: (start, end) => ({ start, end }) };
  const pieces: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const character of text) {
    const piece = fold(character);
    pieces.push(piece);
    // A mark that folds away belongs to the letter before it: a highlight must not split them.
    if (piece === '' && ends.length > 0) ends[ends.length - 1] = at + character.length;
    for (let i = 0; i < piece.length; i += 1) {
      starts.push(at);
      ends.push(at + character.length);
    }
    at += character.length;
  }
  const clamp = (index: number | undefined): number => index ?? text.length;
  return {
    text: pieces.join(''),
    source: (start, end) => ({ start: clamp(starts[start]), end: end > start ? clamp(ends[end - 1]) : clamp(starts[start]) }),
  };
}

let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`; with `swaps`,
 * two neighbours swapped count as one edit (optimal string alignment: "throguh" is one from
 * "through"). Runs on every autocomplete keystroke against many names, so its rows are reused rather
 * than allocated.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY, swaps = false): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (b.length + 1 > rows[0].length) rows = [new Int32Array(b.length + 1), new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  let [twoBack, previous, current] = rows;
  for (let j = 0; j <= b.length; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let best = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j += 1) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (swaps && i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        value = Math.min(value, (twoBack[j - 2] ?? 0) + 1);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    const oldest = twoBack;
    twoBack = previous;
    previous = current;
    current = oldest;
  }
  return previous[b.length] ?? 0;
}
