/**
 * The gateway bot logs in while the library is still opening (so `npm start` identifies early); a
 * command that arrives before the library is open is deferred at once and answered when it opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayBot, type GatewayBot } from '../../src/discord/bot.js';
import { captureLogger, testRouter } from '../support/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';

const TOKEN = 'fake-token-for-tests-0123456789';

describe('a command that arrives before the library is open', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  let open!: () => void;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    fake = await startFakeDiscord({ token: TOKEN });
    const routerReady = new Promise<void>((resolve) => (open = resolve));
    bot = await startGatewayBot({ token: TOKEN, router: await testRouter(logger), logger, apiUrl: fake.apiBase, routerReady });
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('is deferred at once, then answered by an edit once the library opens', async () => {
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: 'Who leads the country?' }]));
    const callback = await fake.waitForCallback(interaction.id);
    expect((callback.body as { type: number }).type).toBe(5);
    expect(fake.requests.some((r) => r.interactionId === interaction.id && r.method === 'PATCH')).toBe(false);
    open();
    const edit = await fake.waitForRequest((r) => r.interactionId === interaction.id && r.method === 'PATCH');
    const body = edit.body as { content?: string; embeds?: unknown[]; allowed_mentions?: unknown };
    expect(body.content).toBe('**Question:** Who leads the country?');
    expect(body.embeds).toHaveLength(1);
    expect(body.allowed_mentions).toMatchObject({ parse: [] });
    await expect
      .poll(() => lines.find((l) => l['interactionId'] === interaction.id && l['msg'] === 'interaction'))
      .toMatchObject({
        deferred: true,
      });
  });
});
