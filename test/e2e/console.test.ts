/**
 * The local console as a person meets it: `npm start` with no token, in a terminal (a pseudo-terminal
 * from util-linux's `script`, since the console opens only on one).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'console-'));
});
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

/** Types `line` at the console, waits for `until` on the terminal, quits with Ctrl+D; returns all it showed. */
function session(line: string, until: RegExp, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', `${process.execPath} --import tsx src/cli/main.ts`, '/dev/null'], {
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: cacheDir,
        CORPUS_DIR: 'test/fixtures/corpus-two',
        CACHE_DIR: cacheDir,
        WATCH_CORPUS: 'false',
        DISCORD_TOKEN: '',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let shown = '';
    let typed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the console did not show ${until} in time:\n${shown}`));
    }, 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      shown += chunk.toString();
      if (!typed && shown.includes('> ')) {
        typed = true;
        child.stdin.write(`${line}\n`);
      } else if (typed && until.test(shown)) child.stdin.write('\u0004');
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(shown);
    });
  });
}

describe('the local console', () => {
  it('shows the answer and no log lines by default', async () => {
    const shown = await session('/ask Who leads Nordvik Industries?', /Ingrid Larsen[\s\S]*> /, {});
    expect(shown).toMatch(/Ingrid Larsen/);
    expect(shown).not.toMatch(/INFO|corpus loaded|"msg"/);
  });

  it('shows log lines when LOG_LEVEL asks for them', async () => {
    const shown = await session('/ask Who leads Nordvik Industries?', /interaction/, { LOG_LEVEL: 'info' });
    expect(shown).toMatch(/corpus loaded/);
    expect(shown).toMatch(/INFO.*interaction/);
  });
});
