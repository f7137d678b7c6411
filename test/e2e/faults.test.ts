/**
 * Faults of Discord and of the process that the bot must ride out, beyond those in bot.test.ts:
 * rate limits on the reply, a 5xx followed by a rate limit, a gateway session Discord will not
 * resume, and a promise rejection nobody handled.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayBot } from '../../src/discord/bot.js';
import { startGatewayBot } from '../../src/discord/bot.js';
import { installProcessHandlers } from '../../src/discord/process.js';
import { captureLogger, testRouter } from '../support/bot.js';
import { rateLimited, slashCommand, startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/fakeDiscord.js';

const TOKEN = 'fake-token-for-tests-0123456789';
const QUESTION = 'What is juche?';

interface CallbackBody {
  type: number;
  data?: { content?: string; embeds?: { title?: string }[]; flags?: number };
}

/**
 * Starts the real bot against `fake`. IDENTIFY is not throttled: discord.js otherwise waits ~5 s
 * before identifying again, which is Discord's rule but only slows a test down.
 */
async function startBot(fake: FakeDiscord, logger: ReturnType<typeof captureLogger>['logger']): Promise<GatewayBot> {
  return startGatewayBot({
    token: TOKEN,
    router: await testRouter(logger),
    logger,
    apiUrl: fake.apiBase,
    clientOptions: { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) } },
  });
}

describe('faults', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    bot = await startBot(fake, logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  /** Dispatches `/ask`, waits until the bot has logged the interaction as done, and returns what Discord saw. */
  async function ask(question: string): Promise<{ responses: RecordedRequest[]; line: Record<string, unknown> }> {
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: question }]));
    await fake.waitForCallback(interaction.id, 10_000);
    // The line is written once the reply has been sent or has failed for good: nothing more is coming.
    const done = (): Record<string, unknown> | undefined =>
      lines.find((l) => l['interactionId'] === interaction.id && (l['msg'] === 'interaction' || l['level'] === 50));
    await expect.poll(done, { timeout: 10_000 }).toBeDefined();
    return { responses: fake.interactionResponses(interaction.id), line: done()! };
  }

  function theOneAnswer(responses: RecordedRequest[]): CallbackBody {
    const succeeded = responses.filter((r) => r.status >= 200 && r.status < 300);
    expect(succeeded, 'exactly one successful response reached Discord').toHaveLength(1);
    const body = succeeded[0]!.body as CallbackBody;
    expect(body.type).toBe(4);
    expect(body.data?.content).toBe(`**Question:** ${QUESTION}`);
    expect(body.data?.embeds?.[0]?.title).toMatch(/¶9/);
    return body;
  }

  describe('when Discord rate-limits the reply', () => {
    it('waits and sends the answer once', async () => {
      fake.failNext({ method: 'POST', pathIncludes: '/callback' }, [rateLimited(0.2)]);
      const { responses, line } = await ask(QUESTION);
      expect(responses.map((r) => r.status)).toEqual([429, 204]);
      // discord.js honoured retry_after rather than hammering the endpoint.
      expect(responses[1]!.at - responses[0]!.at).toBeGreaterThanOrEqual(150);
      theOneAnswer(responses);
      expect(line).toMatchObject({ msg: 'interaction', command: 'ask', abstained: false });
    });
  });

  describe('when Discord fails with 500, then rate-limits', () => {
    it('retries through both and sends the answer once', async () => {
      fake.failNext({ method: 'POST', pathIncludes: '/callback' }, [
        { status: 500, body: { message: 'Internal Server Error', code: 0 } },
        rateLimited(0.1),
      ]);
      const { responses, line } = await ask(QUESTION);
      expect(responses.map((r) => r.status)).toEqual([500, 429, 204]);
      theOneAnswer(responses);
      expect(line['msg']).toBe('interaction');
      expect(lines.filter((l) => l['level'] === 50)).toEqual([]);
    });
  });

  describe('when the gateway closes with a code that ends the session (4009 session timed out)', () => {
    it('identifies again and answers the next interaction', async () => {
      const identified = fake.identifies.length;
      await fake.closeGateway(4009, 'Session timed out');
      await fake.waitForReady(identified + 1, 10_000);
      expect(fake.identifies.length).toBe(identified + 1);
      // discord.js tried to resume first; the fake, like Discord, refused the ended session.
      expect(fake.resumes.every((resume) => !resume.accepted)).toBe(true);
      const { responses } = await ask(QUESTION);
      theOneAnswer(responses);
    });
  });
});

describe('an unhandled promise rejection', () => {
  it('is logged with its error, and the handler can be removed', async () => {
    const { logger, lines } = captureLogger();
    // Only our handler may see this rejection: vitest's own would report it as a test failure, and
    // with no handler at all Node ends the process (the test runner's worker).
    const others = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    const uninstall = installProcessHandlers(logger);
    try {
      void Promise.reject(new Error('a promise nobody awaited'));
      await expect
        .poll(() => lines.find((line) => line['msg'] === 'unhandled promise rejection'))
        .toMatchObject({
          level: 50,
          err: { type: 'Error', message: 'a promise nobody awaited' },
        });
      expect(process.listenerCount('unhandledRejection')).toBe(1);
    } finally {
      uninstall();
      for (const listener of others) process.on('unhandledRejection', listener);
    }
    expect(process.listenerCount('unhandledRejection')).toBe(others.length);
  });

  /** Runs a small program that rejects a promise nobody awaits, with or without the handlers. */
  function rejectIn(child: { install: boolean }): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const program = [
      "import { pino } from 'pino';",
      "import { installProcessHandlers } from './src/discord/process.ts';",
      child.install ? 'installProcessHandlers(pino());' : '',
      "void Promise.reject(new Error('a promise nobody awaited'));",
      "setTimeout(() => { process.stdout.write('still running\\n'); process.exit(0); }, 300);",
    ].join('\n');
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
        cwd: process.cwd(),
        env: { PATH: process.env['PATH'] ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      proc.on('error', reject);
      proc.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('does not end the process (which it does without the handler)', async () => {
    const [handled, unhandled] = await Promise.all([rejectIn({ install: true }), rejectIn({ install: false })]);
    expect(handled.code).toBe(0);
    expect(handled.stdout).toContain('still running');
    expect(handled.stdout).toMatch(/"msg":"unhandled promise rejection"/);
    expect(unhandled.code).not.toBe(0);
    expect(unhandled.stdout).not.toContain('still running');
    expect(unhandled.stderr).toContain('a promise nobody awaited');
  });
});
