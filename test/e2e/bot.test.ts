import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationCommandType } from 'discord-api-types/v10';
import type { GatewayBot } from '../../src/discord/bot.js';
import type { Command } from '../../src/bot/types.js';
import {
  autocomplete,
  buttonClick,
  messageContextMenu,
  slashCommand,
  startFakeDiscord,
  userMessage,
  type FakeDiscord,
  type RawObject,
} from '../support/fakeDiscord.js';
import { captureLogger, startTestBot, testRouter } from '../support/bot.js';

const EPHEMERAL = 64;
const boom: Command = {
  data: { type: ApplicationCommandType.ChatInput, name: 'boom', description: 'fails on purpose' },
  execute() {
    throw new Error('handler exploded on purpose');
  },
};

interface CallbackBody {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: { title?: string; description?: string; footer?: { text: string }; fields?: { name: string; value: string }[] }[];
    components?: { components: { custom_id?: string; label?: string }[] }[];
    allowed_mentions?: { parse: string[]; users?: string[] };
    choices?: { name: string; value: string | number }[];
  };
}

describe('the bot against a Discord-compatible server', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    fake = await startFakeDiscord();
    bot = await startTestBot(fake.apiBase, await testRouter(logger, [boom]), logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  /** Dispatches an interaction and returns the bot's first successful callback, timed. */
  async function send(init: Parameters<FakeDiscord['dispatchInteraction']>[0], user?: { id: string; username: string }) {
    const started = performance.now();
    const interaction = fake.dispatchInteraction(init, user ? { user } : {});
    const callback = await fake.waitForCallback(interaction.id);
    return { interaction, body: callback.body as CallbackBody, ms: callback.at - started };
  }

  describe('/ask', () => {
    it('replies within 3 s with the attributed passage, the sentence highlighted, and pings nobody', async () => {
      const { body, ms } = await send(
        slashCommand('ask', [{ name: 'question', value: 'What ammunition is North Korea suspected of supplying to Russia?' }]),
      );
      expect(ms).toBeLessThan(3000);
      expect(body.type).toBe(4);
      const embed = body.data?.embeds?.[0];
      expect(embed?.title).toBe("North Korea's Kim and Russia's Putin in Secret Talks · What Russia Wants from North Korea · ¶4");
      expect(embed?.description).toMatch(/^\*\*U\.S\. officials suspect/);
      expect(embed?.description?.match(/\*\*/g)).toHaveLength(2);
      expect(embed?.fields ?? []).toEqual([]);
      expect(body.data?.allowed_mentions).toEqual({ parse: [], users: [] });
      expect(body.data?.flags ?? 0).not.toBe(EPHEMERAL);
      const labels = body.data?.components?.flatMap((row) => row.components.map((c) => c.label));
      expect(labels).toEqual(['More passages (2)', 'Delete']);
    });

    it('echoes a hostile question escaped, and still pings nobody', async () => {
      const { body } = await send(
        slashCommand('ask', [{ name: 'question', value: '@everyone <@&123456789012345678> **why** Russia ammunition?' }]),
      );
      expect(body.data?.allowed_mentions?.parse).toEqual([]);
      expect(body.data?.allowed_mentions?.users ?? []).toEqual([]);
      expect(body.data?.content).not.toMatch(/@everyone|<@&\d/);
    });

    it('pings only the member it is pointed at', async () => {
      const target = '123456789012345678';
      const { body } = await send(
        slashCommand('ask', [
          { name: 'question', value: 'What is juche?' },
          { name: 'mention', value: target, type: 6 },
        ]),
      );
      expect(body.data?.content).toMatch(new RegExp(`^<@${target}>`));
      expect(body.data?.allowed_mentions).toEqual({ parse: [], users: [target] });
    });

    it('answers only the asker when hide is set', async () => {
      const { body } = await send(
        slashCommand('ask', [
          { name: 'question', value: 'What is juche?' },
          { name: 'hide', value: true },
        ]),
      );
      expect(body.data?.flags).toBe(EPHEMERAL);
    });

    it("says plainly when the article doesn't say", async () => {
      const { body } = await send(slashCommand('ask', [{ name: 'question', value: 'What is the capital of France?' }]));
      expect(body.data?.embeds?.[0]?.title).toBe("The article doesn't say");
      expect(body.data?.embeds?.[0]?.description).toMatch(/It covers:/);
    });

    it('logs one structured line for the interaction', async () => {
      const { interaction } = await send(slashCommand('ask', [{ name: 'question', value: 'hypersonic weapons' }]));
      await expect
        .poll(() => lines.find((line) => line['interactionId'] === interaction.id))
        .toMatchObject({ command: 'ask', results: 3, abstained: false, guildId: fake.guilds[0]?.id });
    });
  });

  describe('buttons', () => {
    it('shows more passages to the asker, refuses others, and lets the asker delete', async () => {
      const asker = { id: '200000000000000001', username: 'asker' };
      const { interaction } = await send(slashCommand('ask', [{ name: 'question', value: 'joint military exercises' }]), asker);
      const reply = fake.originalResponse(interaction.id) as unknown as RawObject;
      const moreId = ((reply['components'] as CallbackBody['data'] & unknown[])[0] as { components: { custom_id: string }[] })
        .components[0]!.custom_id;

      const stranger = await send(buttonClick(moreId, reply), { id: '200000000000000002', username: 'stranger' });
      expect(stranger.body.type).toBe(4);
      expect(stranger.body.data?.flags).toBe(EPHEMERAL);

      const more = await send(buttonClick(moreId, reply), asker);
      expect(more.body.type).toBe(7);
      expect(more.body.data?.embeds?.length).toBe(3);
      expect(more.body.data?.embeds?.[0]?.description).toBe((reply['embeds'] as { description: string }[])[0]?.description);

      const updated = fake.originalResponse(interaction.id) as unknown as RawObject;
      const deleteId = `delete:${asker.id}`;
      const deletion = fake.dispatchInteraction(buttonClick(deleteId, updated), { user: asker });
      await fake.waitForRequest((r) => r.method === 'DELETE' && r.interactionId === deletion.id);
    });
  });

  describe('other commands', () => {
    it('/who-is gives the card with the role attributed', async () => {
      const { body } = await send(slashCommand('who-is', [{ name: 'name', value: 'shoigu' }]));
      const embed = body.data?.embeds?.[0];
      expect(embed?.title).toBe('Sergei Shoigu');
      expect(embed?.fields?.find((f) => f.name === 'Role')?.value).toMatch(/Defense Minister.*¶3/);
    });

    it('/passage quotes the paragraph, and refuses a number out of range', async () => {
      const ok = await send(slashCommand('passage', [{ name: 'number', value: 9 }]));
      expect(ok.body.data?.embeds?.[0]?.description).toMatch(/juche/);
      const bad = await send(slashCommand('passage', [{ name: 'number', value: 99 }]));
      expect(bad.body.data?.flags).toBe(EPHEMERAL);
      expect(bad.body.data?.embeds?.[0]?.description).toMatch(/¶1 to ¶11/);
    });

    it('/article shows the sections with their paragraphs', async () => {
      const { body } = await send(slashCommand('article'));
      expect(body.data?.embeds?.[0]?.fields?.[0]?.value).toMatch(/¶4–5 · What Russia Wants from North Korea/);
    });

    it('/help answers the asker alone', async () => {
      const { body } = await send(slashCommand('help'));
      expect(body.data?.flags).toBe(EPHEMERAL);
      expect(body.data?.embeds?.[0]?.description).toMatch(/\/ask/);
    });

    it('"Find in article" answers a message of the discussion', async () => {
      const { body } = await send(
        messageContextMenu('Find in article', userMessage('I think Russia mostly wants North Korean artillery shells')),
      );
      expect(body.type).toBe(4);
      expect(body.data?.embeds?.[0]?.title).toMatch(/¶4/);
    });
  });

  describe('autocomplete', () => {
    it('offers people for /who-is, instantly', async () => {
      const { body, ms } = await send(autocomplete('who-is', [{ name: 'name', value: 'sho' }]));
      expect(body.type).toBe(8);
      expect(body.data?.choices?.[0]?.value).toBe('Sergei Shoigu');
      expect(ms).toBeLessThan(1000);
    });
    it('offers paragraphs with their opening words for /passage', async () => {
      const { body } = await send(autocomplete('passage', [{ name: 'number', value: '' }]));
      expect(body.data?.choices).toHaveLength(11);
      expect(body.data?.choices?.[0]?.name).toMatch(/^¶1 · North Korean leader/);
      for (const choice of body.data?.choices ?? []) expect(choice.name.length).toBeLessThanOrEqual(100);
    });
  });

  describe('faults', () => {
    it('apologises when a handler throws, logs the stack, and keeps running', async () => {
      const { body } = await send(slashCommand('boom'));
      expect(body.data?.flags).toBe(EPHEMERAL);
      expect(body.data?.embeds?.[0]?.description).toMatch(/Sorry/);
      expect(lines.some((line) => (line['err'] as { stack?: string } | undefined)?.stack?.includes('handler exploded on purpose'))).toBe(
        true,
      );
      const next = await send(slashCommand('ask', [{ name: 'question', value: 'What is juche?' }]));
      expect(next.body.type).toBe(4);
    });

    it('logs an expired interaction once and answers the next one', async () => {
      fake.failNext({ method: 'POST', pathIncludes: '/callback' }, [
        { status: 404, body: { message: 'Unknown interaction', code: 10062 } },
      ]);
      const expired = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: 'juche' }]));
      await expect.poll(() => lines.filter((line) => line['interactionId'] === expired.id && line['level'] === 40)).toHaveLength(1);
      const next = await send(slashCommand('ask', [{ name: 'question', value: 'juche' }]));
      expect(next.body.type).toBe(4);
    });

    it('still delivers the answer once when Discord fails with 500 then 429', async () => {
      fake.failNext({ method: 'POST', pathIncludes: '/callback' }, [{ status: 500, body: { message: 'oops', code: 0 } }]);
      const { interaction, body } = await send(slashCommand('ask', [{ name: 'question', value: 'juche' }]));
      expect(body.type).toBe(4);
      const statuses = fake.interactionResponses(interaction.id).map((r) => r.status);
      expect(statuses.filter((s) => s < 300)).toHaveLength(1);
      expect(statuses[0]).toBe(500);
    });

    it('resumes after the gateway closes with a resumable code and answers the next interaction', async () => {
      await fake.closeGateway(4000, 'test');
      await fake.waitForResume(1, 10_000);
      const { body } = await send(slashCommand('ask', [{ name: 'question', value: 'juche' }]));
      expect(body.type).toBe(4);
    });
  });
});
