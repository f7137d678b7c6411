import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { CorpusError, decodeUtf8 } from '../corpus/parse.js';
import { isMissing, readCorpusFile } from '../corpus/read.js';
import { terms } from './analyzer.js';

/** The file in a corpus folder that holds its alias table. */
export const ALIASES_FILE = 'aliases.yaml';

/** Compiled alias table: a sequence of question terms → extra terms to search for it. */
export interface AliasTable {
  /** Keyed by the space-joined terms of the phrase a reader may type. */
  readonly expansions: ReadonlyMap<string, readonly string[]>;
  /** The longest phrase, in terms, so matching knows how far to look ahead. */
  readonly longest: number;
}

export const EMPTY_ALIASES: AliasTable = { expansions: new Map(), longest: 0 };

const schema = z.object({
  aliases: z.record(z.string(), z.string().min(1)).optional(),
  synonyms: z.array(z.array(z.string().min(1)).min(2, 'a synonym group needs at least two words')).optional(),
});

/** Raw alias data, as written in `aliases.yaml`. */
export type AliasData = z.infer<typeof schema>;

/** Compiles alias data into term sequences with the same analyzer the index uses. */
export function compileAliases(data: AliasData): AliasTable {
  const expansions = new Map<string, string[]>();
  const add = (from: string, to: string): void => {
    const key = terms(from).join(' ');
    const extra = terms(to).filter((term) => !key.split(' ').includes(term));
    if (key === '' || extra.length === 0) return;
    const existing = expansions.get(key) ?? [];
    expansions.set(key, [...new Set([...existing, ...extra])]);
  };
  for (const [from, to] of Object.entries(data.aliases ?? {})) add(from, to);
  for (const group of data.synonyms ?? []) {
    for (const from of group) for (const to of group) if (from !== to) add(from, to);
  }
  const longest = Math.max(0, ...[...expansions.keys()].map((key) => key.split(' ').length));
  return { expansions, longest };
}

/**
 * Reads `aliases.yaml` from a corpus folder; a folder without one has no aliases.
 * A malformed file is a {@link CorpusError} naming it, like a malformed article.
 */
export async function loadAliases(corpusDir: string): Promise<AliasTable> {
  const file = path.join(corpusDir, ALIASES_FILE);
  let text: string;
  try {
    text = decodeUtf8(file, await readCorpusFile(file));
  } catch (err) {
    if (isMissing(err)) return EMPTY_ALIASES;
    throw err;
  }
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (err) {
    throw new CorpusError(file, `is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorpusError(file, `'${issue?.path.join('.') ?? ''}' ${issue?.message ?? 'is invalid'}`);
  }
  return compileAliases(parsed.data);
}
