/**
 * A burst of 300 /ask interactions at once against the real discord.js client: every one must get its
 * first response within Discord's 3-second window (the fake answers 404 Unknown interaction after it,
 * as Discord does), and every one must end as the answer the handlers give for its question.
 * `npm test` runs this file alone, after the rest, so other suites do not share its CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '../../src/bot/router.js';
import type { GatewayBot } from '../../src/discord/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';
import { captureLogger, startTestBot, testRouter } from '../support/bot.js';

const DEADLINE_MS = 3000;
const QUESTIONS = [
  'What does Russia want from North Korea?',
  'What is juche?',
  'hypersonic wepons',
  'Who is Shoigu?',
  'What is the capital of France?',
  'joint military exercises first time',
];

interface Embed {
  title: string | undefined;
  description: string | undefined;
}

describe('a burst of 300 /ask interactions at once', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  /** A second router over the same library: what each question's answer must be. */
  let expected: Router;

  beforeAll(async () => {
    fake = await startFakeDiscord({ callbackDeadlineMs: DEADLINE_MS });
    const { logger } = captureLogger();
    bot = await startTestBot(fake.apiBase, await testRouter(logger), logger);
    expected = await testRouter(logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('gives each one its first response within 3 s, and each ends as the answer to its question', async () => {
    const sent = Array.from({ length: 300 }, (_, i) => {
      const question = QUESTIONS[i % QUESTIONS.length]!;
      const at = performance.now();
      return { question, at, interaction: fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: question }])) };
    });
    // The first response each got, in time or not (a late one is refused with 404, as Discord does).
    const first = (id: string) => fake.interactionResponses(id).find((r) => r.method === 'POST');
    await expect.poll(() => sent.every(({ interaction }) => first(interaction.id) !== undefined), { timeout: 20_000 }).toBe(true);
    const waits = sent.map(({ interaction, at }) => first(interaction.id)!.at - at);
    const sorted = [...waits].sort((a, b) => a - b);
    const p = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    console.log(`300 interactions: first response p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${p(1).toFixed(0)} ms`);
    const late = waits.flatMap((ms, i) => (ms < DEADLINE_MS ? [] : [`#${i} after ${ms.toFixed(0)} ms`]));
    expect(late, 'first responses later than 3 s').toEqual([]);

    const wanted = new Map<string, Embed>();
    for (const question of QUESTIONS) {
      const response = expected.command({
        commandName: 'ask',
        user: { id: '9', name: 'expected' },
        guildId: null,
        options: new Map([['question', question]]),
      });
      if (response.kind !== 'reply') throw new Error('an /ask must reply');
      const { title, description } = response.payload.embeds[0] ?? {};
      wanted.set(question, { title, description });
    }
    // A reply's content is in its callback; a deferred one's arrives by editing the original message.
    for (const { question, interaction } of sent) {
      await expect
        .poll(() => {
          const embed = fake.originalResponse(interaction.id)?.embeds[0] as Embed | undefined;
          return embed === undefined ? undefined : { title: embed.title, description: embed.description };
        })
        .toEqual(wanted.get(question));
    }
  });
});
