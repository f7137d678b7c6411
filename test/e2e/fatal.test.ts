/**
 * Gateway close codes Discord never takes back (4004, 4010–4014): discord.js stops reconnecting,
 * so the bot must say what Discord refused and what to do, and hand over to its entry point to exit.
 * The entry point's exit status is checked in startup.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayBot } from '../../src/discord/bot.js';
import { startGatewayBot } from '../../src/discord/bot.js';
import { FATAL_CLOSE_CODES, GatewayRefusedError, type FatalClose } from '../../src/discord/fatal.js';
import { captureLogger, testRouter } from '../support/bot.js';
import { FATAL_CLOSE_REASONS, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';

const TOKEN = 'fake-token-for-tests-0123456789';
const started: { fake?: FakeDiscord; bot?: GatewayBot }[] = [];

afterEach(async () => {
  for (const { bot, fake } of started.splice(0)) {
    await bot?.stop();
    await fake?.close();
  }
});

/** What each code's line must tell the operator to do. */
const ADVICE: Record<number, RegExp> = {
  4004: /reset the token/,
  4010: /SHARD_IDS/,
  4011: /start:sharded/,
  4012: /update discord\.js/,
  4013: /Guilds intent/,
  4014: /Privileged Gateway Intents/,
};

describe('a fatal gateway close', () => {
  it('covers every code the fake knows as fatal', () => {
    expect([...FATAL_CLOSE_CODES.keys()].sort()).toEqual(Object.keys(FATAL_CLOSE_REASONS).map(Number).sort());
  });

  describe.each([...FATAL_CLOSE_CODES.keys()])('with code %i after the bot is online', (code) => {
    it('logs an error line saying what was refused and what to do, and reports it once', async () => {
      const fake = await startFakeDiscord({ token: TOKEN });
      const { logger, lines } = captureLogger();
      const fatal: FatalClose[] = [];
      const bot = await startGatewayBot({
        token: TOKEN,
        router: await testRouter(logger),
        logger,
        apiUrl: fake.apiBase,
        onFatal: (close) => fatal.push(close),
      });
      started.push({ fake, bot });
      const identified = fake.identifies.length;

      await fake.closeGateway(code);
      await expect.poll(() => fatal.length, { timeout: 5000 }).toBe(1);
      expect(fatal[0]).toMatchObject({ code, shardId: 0 });
      const errors = lines.filter((line) => line['level'] === 50);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code, shardId: 0 });
      expect(String(errors[0]?.['msg'])).toContain(`code ${code}`);
      expect(String(errors[0]?.['msg'])).toMatch(ADVICE[code]!);
      // Nothing else is coming: discord.js does not try again, so only the exit can bring the bot back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fake.identifies.length).toBe(identified);
      expect(fatal).toHaveLength(1);
    });
  });

  describe('when Discord refuses the IDENTIFY itself (4014, disallowed intents)', () => {
    it('rejects the login with the advice instead of waiting forever', async () => {
      const fake = await startFakeDiscord({ refuseIdentify: 4014 });
      started.push({ fake });
      const { logger, lines } = captureLogger();
      const fatal: FatalClose[] = [];
      const login = startGatewayBot({
        token: TOKEN,
        router: await testRouter(logger),
        logger,
        apiUrl: fake.apiBase,
        onFatal: (close) => fatal.push(close),
      });
      const error = await login.then(
        () => null,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(GatewayRefusedError);
      expect((error as Error).message).toMatch(/code 4014.*Privileged Gateway Intents/);
      expect(fatal.map((close) => close.code)).toEqual([4014]);
      expect(lines.filter((line) => line['level'] === 50).map((line) => line['code'])).toEqual([4014]);
    });
  });
});
