import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWhoIs } from '../../src/cli/whois-cli.js';
import { FIXTURE_CORPUS, FIXTURE_CORPUS_RELATIVE } from '../support/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpusDir = FIXTURE_CORPUS;
const twoDir = fileURLToPath(new URL('../fixtures/corpus-two', import.meta.url));

/** The CLI caches what it builds, as the bot does; the tests keep that out of the repository's .cache. */
let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'who-is-cli-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Runs the CLI in this process with its own streams and environment. */
async function whoIs(args: string[], options: { input?: string; corpus?: string } = {}): Promise<Outcome> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  stdin.end(options.input ?? '');
  const code = await runWhoIs(args, { stdin, stdout, stderr, env: { CORPUS_DIR: options.corpus ?? corpusDir, CACHE_DIR: cacheDir } });
  return { code, stdout: out(), stderr: err() };
}

describe('who-is CLI', () => {
  it('prints a card with the role, its paragraph, the first mention and who appears with them', async () => {
    const { code, stdout, stderr } = await whoIs(['Shoigu']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('Sergei Shoigu (person)');
    expect(stdout).toContain('Role: Russian Defense Minister — ¶3');
    expect(stdout).toContain('First mention, ¶3: “Russian Defense Minister Sergei Shoigu’s visit to Pyongyang');
    expect(stdout).toMatch(/^ {2}¶9 +Russian Defense Minister Shoigu mentioned/m);
    expect(stdout).toContain('Appears with: North Korea (2), Russia (2), China (1)');
  });

  it('names the article in a card when the corpus has several', async () => {
    const { stdout } = await whoIs(['Ingrid', 'Larsen'], { corpus: twoDir });
    expect(stdout).toContain('Role: chief executive of Nordvik Industries — norway-chile-lithium-pact ¶3');
  });

  it('says when a name is not mentioned or is ambiguous, and offers names', async () => {
    expect((await whoIs(['Biden'])).stdout).toMatch(/^“Biden” is not mentioned in the corpus\.\nClosest names it mentions: /);
    expect((await whoIs(['Larsen'], { corpus: twoDir })).stdout).toContain('“Larsen” could be: Erik Larsen, Ingrid Larsen.');
  });

  it('prints one JSON object on one line with --json', async () => {
    const { code, stdout } = await whoIs(['--json', 'Kim', 'Jong-un']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(stdout) as { query: string; entity: { name: string; role: string } };
    expect(json.query).toBe('Kim Jong-un');
    expect(json.entity).toMatchObject({ name: 'Kim Jong Un', role: 'North Korean leader' });
  });

  it('reads names from stdin with --json and no name, one object for every line, in order', async () => {
    const { code, stdout } = await whoIs(['--json'], { input: 'putin\n\nBiden\r\nLarsen', corpus: twoDir });
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { query: string; entity: { name: string } | null; suggestions: string[] });
    expect(lines.map((l) => l.query)).toEqual(['putin', '', 'Biden', 'Larsen']);
    expect(lines[0]?.entity?.name).toBe('Vladimir Putin');
    expect(lines[1]?.entity).toBeNull();
    expect(lines[2]?.entity).toBeNull();
    expect(lines[3]?.suggestions.sort()).toEqual(['Erik Larsen', 'Ingrid Larsen']);
  });

  it('exits 2 with the usage line for bad arguments, printing nothing on stdout', async () => {
    for (const args of [[], ['--bogus', 'Kim']]) {
      const { code, stdout, stderr } = await whoIs(args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('usage: npm run who-is');
    }
  });

  it('exits 1 and prints each corpus error on stderr', async () => {
    const { code, stdout, stderr } = await whoIs(['Kim'], { corpus: 'no-such-corpus' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('no-such-corpus: corpus folder does not exist');
  });

  it('runs as a program: stdin to JSON lines, exit code set', async () => {
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/whois-cli.ts', '--json'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: FIXTURE_CORPUS_RELATIVE, CACHE_DIR: cacheDir },
    });
    child.child.stdin?.end('shoygu\nObama\n');
    const { stdout, stderr } = await child;
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { entity: { name: string } | null });
    expect(lines.map((l) => l.entity?.name ?? null)).toEqual(['Sergei Shoigu', null]);
  });
});
