/**
 * The command-line tools open the library as the bot does: from the index and entity caches in
 * CACHE_DIR, so a second run loads instead of rebuilding.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CORPUS = 'test/fixtures/corpus-two';
let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'cli-cache-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

/** Runs a CLI at LOG_LEVEL=info and returns its 'corpus loaded' log line from stderr. */
async function corpusLoaded(script: string, args: readonly string[]): Promise<{ fromCache: boolean; articles: number }> {
  const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { PATH: process.env['PATH'] ?? '', CORPUS_DIR: CORPUS, CACHE_DIR: cacheDir, LOG_LEVEL: 'info' },
  });
  const line = stderr
    .split('\n')
    .filter((l) => l.includes('"corpus loaded"'))
    .map((l) => JSON.parse(l) as { fromCache: boolean; articles: number })[0];
  if (line === undefined) throw new Error(`no 'corpus loaded' line on stderr:\n${stderr}`);
  return line;
}

describe.each([
  ['ask', 'src/cli/ask.ts', ['--json', 'What is mined?']],
  ['who-is', 'src/cli/whois-cli.ts', ['Larsen']],
])('npm run %s', (_name, script, args) => {
  it('builds the caches on its first run and loads them on the next', async () => {
    await rm(cacheDir, { recursive: true, force: true });
    expect(await corpusLoaded(script, args)).toMatchObject({ fromCache: false, articles: 2 });
    expect((await readdir(cacheDir)).some((name) => name.startsWith('engine-'))).toBe(true);
    expect(await corpusLoaded(script, args)).toMatchObject({ fromCache: true, articles: 2 });
  });
});
