import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { buildDirectory, type Directory, type WhoIsResult } from '../../src/entities/index.js';
import { FIXTURE_CORPUS } from '../support/fixtures.js';

/** One line of whois.*.jsonl: the query, the person meant (null: not mentioned), words the role must hold. */
interface WhoIsCase {
  id: string;
  q: string;
  name: string | null;
  role?: string[];
}

const corpusDir = FIXTURE_CORPUS;
const devPath = fileURLToPath(new URL('../../../shared/eval/whois.dev.jsonl', import.meta.url));
const heldOutPath = fileURLToPath(new URL('../fixtures/whois.heldout.jsonl', import.meta.url));

function readCases(file: string): WhoIsCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as WhoIsCase);
}

/** Right when the entity is the one meant (or both are none) and its role holds every role word. */
function isRight(result: WhoIsResult, expected: WhoIsCase): boolean {
  if ((result.entity?.name ?? null) !== expected.name) return false;
  const role = result.entity?.role?.text.toLowerCase() ?? '';
  return (expected.role ?? []).every((word) => role.includes(word.toLowerCase()));
}

function misses(directory: Directory, cases: readonly WhoIsCase[]): string[] {
  return cases
    .map((c) => ({ c, result: directory.lookup(c.q) }))
    .filter(({ c, result }) => !isRight(result, c))
    .map(
      ({ c, result }) => `${c.id} ${JSON.stringify(c.q)}: got ${result.entity?.name ?? 'null'} (${result.entity?.role?.text ?? 'no role'})`,
    );
}

describe('who-is evaluation', () => {
  let directory: Directory;
  beforeAll(async () => {
    const { articles, errors } = await loadCorpus(corpusDir);
    expect(errors).toEqual([]);
    directory = buildDirectory(articles);
  });

  // CI always has ../shared; a missing development set is a broken checkout, not a reason to skip.
  it('answers every query of whois.dev.jsonl right', () => {
    expect(existsSync(devPath), `${devPath} is missing: check out the shared folder beside the repository`).toBe(true);
    const cases = readCases(devPath);
    expect(cases.length).toBeGreaterThan(0);
    expect(misses(directory, cases)).toEqual([]);
  });

  it('answers at least 9 of the 10 held-out queries right', () => {
    const cases = readCases(heldOutPath);
    expect(cases).toHaveLength(10);
    const wrong = misses(directory, cases);
    expect(wrong.length, wrong.join('\n')).toBeLessThanOrEqual(1);
  });

  it('scores itself strictly: a wrong person or a missing role word is a miss', () => {
    const kim = directory.lookup('Kim');
    expect(isRight(kim, { id: 't1', q: 'Kim', name: 'Kim Jong Un', role: ['leader'] })).toBe(true);
    expect(isRight(kim, { id: 't2', q: 'Kim', name: 'Kim Jong Un', role: ['President'] })).toBe(false);
    expect(isRight(kim, { id: 't3', q: 'Kim', name: null })).toBe(false);
    expect(isRight(directory.lookup('Obama'), { id: 't4', q: 'Obama', name: null })).toBe(true);
  });
});
