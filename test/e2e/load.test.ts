import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayBot } from '../../src/discord/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';
import { captureLogger, startTestBot, testRouter } from '../support/bot.js';

const QUESTIONS = [
  'What does Russia want from North Korea?',
  'What is juche?',
  'hypersonic wepons',
  'Who is Shoigu?',
  'What is the capital of France?',
  'joint military exercises first time',
];

describe('a burst of 300 /ask interactions at once', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;

  beforeAll(async () => {
    fake = await startFakeDiscord({ callbackDeadlineMs: 3000 });
    const { logger } = captureLogger();
    bot = await startTestBot(fake.apiBase, await testRouter(logger), logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('acknowledges every one within 3 s and answers every one', async () => {
    const started = performance.now();
    const interactions = Array.from({ length: 300 }, (_, i) =>
      fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: QUESTIONS[i % QUESTIONS.length] ?? '' }])),
    );
    const callbacks = await Promise.all(interactions.map((interaction) => fake.waitForCallback(interaction.id, 10_000)));
    const latencies = callbacks.map((callback) => callback.at - started).sort((a, b) => a - b);
    const p = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    console.log(`300 interactions: first response p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms, max ${p(1).toFixed(0)} ms`);
    expect(callbacks).toHaveLength(300);
    expect(p(1)).toBeLessThan(3000);
    // Deferred ones are answered by an edit of the original message.
    for (const interaction of interactions) {
      await expect.poll(() => fake.originalResponse(interaction.id)?.embeds.length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
    }
  });
});
