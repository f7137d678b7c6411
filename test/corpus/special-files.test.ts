/**
 * Files in the corpus folder that are not regular files: a FIFO named like an article (an open
 * for reading waits until a writer comes, for ever) and a symlink to /dev/zero (a read that never
 * ends). Each must be refused by name, never opened blocking or read without limit, whether the
 * corpus is checked, loaded at start, hashed for the cache key or reloaded while the bot runs.
 * The command-line runs are child processes with a time limit, so a hang fails instead of hanging.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load.js';
import { MAX_ARTICLE_BYTES } from '../../src/corpus/parse.js';
import { openLibrary, openLibraryCached } from '../../src/library.js';
import { LiveLibrary } from '../../src/reload.js';
import { corpusKey } from '../../src/search/cache.js';
import { captureLogger } from '../support/bot.js';

const ROOT = process.cwd();
let scratch: string;
let corpus: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'special-files-'));
  corpus = path.join(scratch, 'corpus');
  await cp(path.join(ROOT, 'corpus'), corpus, { recursive: true });
  execFileSync('mkfifo', [path.join(corpus, 'notes.md')]);
  await symlink('/dev/zero', path.join(corpus, 'zero.md'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs `node --import tsx script ...args`, killed after `timeoutMs`. */
function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: scratch, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, output });
    });
  });
}

describe('a FIFO and a symlink to /dev/zero in the corpus folder', () => {
  it('are each reported by name when the corpus is loaded', async () => {
    const { articles, errors } = await loadCorpus(corpus);
    expect(articles.map((article) => article.id)).toEqual(['kim-putin-secret-talks']);
    expect(errors.map((error) => error.message).sort()).toEqual([
      `${path.join(corpus, 'notes.md')}: is a named pipe (FIFO), not a regular file; remove it from the corpus folder`,
      `${path.join(corpus, 'zero.md')}: is a character device, not a regular file; remove it from the corpus folder`,
    ]);
  });

  it('make the cache key refuse rather than hang or read without end', async () => {
    await expect(corpusKey(corpus)).rejects.toThrow(/notes\.md: is a named pipe/);
  });

  it('stop npm run check:corpus promptly, naming both', async () => {
    const { code, killed, output } = await run(['src/cli/check-corpus.ts', corpus], {}, 20_000);
    expect(killed).toBe(false);
    expect(code).toBe(1);
    expect(output).toMatch(/notes\.md: is a named pipe \(FIFO\)/);
    expect(output).toMatch(/zero\.md: is a character device/);
  }, 30_000);

  it('stop npm start promptly, naming both (the cache key is taken first)', async () => {
    const env = {
      CORPUS_DIR: corpus,
      CACHE_DIR: path.join(scratch, 'cache'),
      WATCH_CORPUS: 'false',
      DISCORD_TOKEN: 'fake-token-for-startup-tests-0123456789',
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
    };
    const { code, killed, output } = await run(['src/cli/main.ts'], env, 30_000);
    expect(killed).toBe(false);
    expect(code).not.toBe(0);
    expect(output).toMatch(/notes\.md: is a named pipe \(FIFO\)/);
    expect(output).toMatch(/zero\.md: is a character device/);
  }, 40_000);

  it('leave a running bot answering from the previous corpus when they appear', async () => {
    const dir = path.join(scratch, 'live');
    await cp(path.join(ROOT, 'corpus'), dir, { recursive: true });
    const { logger, lines } = captureLogger();
    const open = (d: string) => openLibraryCached(d, path.join(scratch, 'live-cache')).then((opened) => opened.library);
    const live = new LiveLibrary(await openLibrary(dir), { corpusDir: dir, open, logger, debounceMs: 50 }).watch();
    try {
      const before = live.current();
      const generation = live.generation;
      execFileSync('mkfifo', [path.join(dir, 'notes.md')]);
      await expect.poll(() => live.generation, { timeout: 10_000 }).toBeGreaterThan(generation);
      expect(live.current()).toBe(before);
      expect(live.current().engine.ask('What is juche?').abstained).toBe(false);
      const failed = lines.find((line) => line['msg'] === 'corpus reload failed; still answering from the previous version');
      expect((failed?.['err'] as { message?: string } | undefined)?.message).toMatch(/notes\.md: is a named pipe/);
    } finally {
      live.close();
    }
  });
});

describe('a corpus file over the size limit', () => {
  it('is refused from its size, before it is read', async () => {
    const dir = path.join(scratch, 'big');
    await cp(path.join(ROOT, 'corpus'), dir, { recursive: true });
    await writeFile(path.join(dir, 'big.md'), `---\ntitle: Big\n---\n\n${'word '.repeat(MAX_ARTICLE_BYTES / 5 + 10)}\n`);
    const { errors } = await loadCorpus(dir);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/big\.md: is \d+ bytes; an article may be at most 2097152 bytes/)]);
    await expect(corpusKey(dir)).rejects.toThrow(/big\.md: is \d+ bytes/);
  });
});
