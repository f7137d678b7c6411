/**
 * The one test that reads the live `corpus/`: it must pass the corpus check, whatever articles it
 * holds. Every other test reads test/fixtures/, so adding a reading changes no test result.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('corpus/', () => {
  it('passes the corpus check', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/check-corpus.ts', 'corpus'], {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(stdout).toMatch(/^corpus: \d+ articles?, \d+ paragraphs, no problems\n$/);
  });
});
