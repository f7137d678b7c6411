/**
 * Private notices stay private when the bot is slow: an interaction that waited past the deferral
 * threshold is deferred before its answer is known, and the answer's visibility must win over the
 * deferral's. Interactions are dispatched as if created 1.5 s ago, so the real bot defers each one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cooldown } from '../../src/bot/cooldown.js';
import type { GatewayBot } from '../../src/discord/bot.js';
import { DEFER_AFTER_MS } from '../../src/discord/deferral.js';
import { captureLogger, startTestBot, testRouter } from '../support/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord, type FakeMessage, type OptionInput } from '../support/fakeDiscord.js';

const EPHEMERAL = 64;
const LATE = { createdAgoMs: DEFER_AFTER_MS + 500 };

describe('a deferred interaction', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    fake = await startFakeDiscord();
    // Two commands per user per 10 s, so the third of one user meets the cooldown.
    bot = await startTestBot(fake.apiBase, await testRouter(logger, [], new Cooldown(2, 10_000)), logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  /** Runs a late command to its end and returns every message it left, as Discord holds them now. */
  async function late(name: string, options: OptionInput[] = [], user = { id: String(Date.now()) + Math.floor(Math.random() * 1e3) }) {
    const interaction = fake.dispatchInteraction(slashCommand(name, options), { ...LATE, user });
    const callback = await fake.waitForCallback(interaction.id, 10_000);
    expect((callback.body as { type: number }).type, 'deferred').toBe(5);
    await expect
      .poll(() => lines.some((l) => l['interactionId'] === interaction.id && l['msg'] === 'interaction'), { timeout: 10_000 })
      .toBe(true);
    const left: FakeMessage[] = [];
    const original = fake.originalResponse(interaction.id);
    if (original) left.push(original);
    left.push(...fake.followUps(interaction.id).filter((m) => fake.message(m.id) !== undefined));
    return left;
  }

  function onlyPrivately(left: FakeMessage[], text: RegExp): void {
    expect(left.length, 'one message left').toBe(1);
    expect(left[0]!.flags & EPHEMERAL, 'private').toBe(EPHEMERAL);
    expect(JSON.stringify(left[0]!.embeds)).toMatch(text);
  }

  it('keeps /help private', async () => {
    onlyPrivately(await late('help'), /\/ask/);
  });

  it('keeps the "not mentioned" notice of /who-is private', async () => {
    onlyPrivately(await late('who-is', [{ name: 'name', value: 'Zanzibar Quux' }]), /[Nn]ot|doesn/);
  });

  it('keeps the unknown-article notice of /ask private', async () => {
    onlyPrivately(
      await late('ask', [
        { name: 'question', value: 'What is juche?' },
        { name: 'article', value: 'no-such-article' },
      ]),
      /no article called/,
    );
  });

  it('keeps the cooldown notice private', async () => {
    const user = { id: '123456789012345678' };
    await late('help', [], user);
    await late('help', [], user);
    onlyPrivately(await late('help', [], user), /asking quickly/);
  });

  it('keeps a hidden answer private and a public answer public', async () => {
    const hidden = await late('ask', [
      { name: 'question', value: 'What is juche?' },
      { name: 'hide', value: true },
    ]);
    onlyPrivately(hidden, /juche/);
    const shown = await late('ask', [{ name: 'question', value: 'What is juche?' }]);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.flags & EPHEMERAL).toBe(0);
    expect(JSON.stringify(shown[0]!.embeds)).toMatch(/juche/);
  });
});
