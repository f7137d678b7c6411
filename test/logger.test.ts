import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** A process that logs `lines` lines to stdout (pino's asynchronous destination), then exits through flushAndExit. */
const program = (lines: number): string => `
import { createLogger, flushAndExit } from './src/logger.ts';
const logger = createLogger({ level: 'info', pretty: false, destination: 1 });
for (let i = 0; i < ${lines}; i += 1) logger.info({ i, padding: 'x'.repeat(200) }, 'line');
logger.info('shutting down');
flushAndExit(logger, 3);
`;

describe('flushAndExit', () => {
  it('exits with the code only after every buffered line is written', async () => {
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program(20_000)], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const exit = await child.then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(exit.code).toBe(3);
    const lines = exit.stdout.trim().split('\n');
    expect(lines).toHaveLength(20_001);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'shutting down' });
  });
});
