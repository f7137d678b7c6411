import { beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Router } from '../../src/bot/router.js';
import type { CommandRequest, OptionValue } from '../../src/bot/types.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { parseConsoleLine, renderPayload } from '../../src/cli/console.js';
import type { MessagePayload, Response } from '../../src/reply/types.js';
import { testRouter } from '../support/bot.js';

const asker = { id: '111111111111111111', name: 'asker' };
const request = (commandName: string, options: Record<string, OptionValue> = {}, user = asker): CommandRequest => ({
  commandName,
  user,
  guildId: '222222222222222222',
  options: new Map(Object.entries(options)),
});
const payloadOf = (response: Response): MessagePayload => {
  if (response.kind !== 'reply' && response.kind !== 'update') throw new Error('expected a payload');
  return response.payload;
};
const customIds = (payload: MessagePayload): string[] =>
  payload.components.flatMap((row) => row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id] : [])));

describe('command handlers', () => {
  let router: Router;
  beforeAll(async () => {
    router = await testRouter(pino({ level: 'silent' }));
  });

  describe('/help', () => {
    it('lists the reading commands only to members who may manage the server, and only in a server', () => {
      const text = (extra: Partial<CommandRequest>): string =>
        JSON.stringify(payloadOf(router.command({ ...request('help'), ...extra })).embeds);
      expect(text({ memberPermissions: String(1n << 5n) })).toMatch(/\/reading add.*\/reading remove.*\/reading list/);
      expect(text({ memberPermissions: String(1n << 3n) })).toMatch(/\/reading add/);
      expect(text({ memberPermissions: String(1n << 11n) })).not.toMatch(/\/reading/);
      expect(text({})).not.toMatch(/\/reading/);
      expect(text({ guildId: null, memberPermissions: String(1n << 5n) })).not.toMatch(/\/reading/);
    });
  });

  describe('/ask', () => {
    it('answers with the best passage and the others behind a button', () => {
      const payload = payloadOf(router.command(request('ask', { question: 'Why does Russia seek weapons from sanctioned countries?' })));
      expect(payload.embeds).toHaveLength(1);
      expect(payload.embeds[0]?.title).toMatch(/¶4/);
      expect(customIds(payload)[0]).toMatch(/^more:111111111111111111:kim-putin-secret-talks#\d+\.\d+/);
      expect(customIds(payload)).toContain('delete:111111111111111111');
    });
    it('restricts to an article named by title, and refuses an unknown one', () => {
      expect(payloadOf(router.command(request('ask', { question: 'juche', article: 'secret talks' }))).embeds[0]?.title).toMatch(/¶9/);
      const refusal = payloadOf(router.command(request('ask', { question: 'juche', article: 'no such article' })));
      expect(refusal.ephemeral).toBe(true);
      expect(refusal.embeds[0]?.description).toMatch(/no article called/);
    });
    it('answers a greeting with a friendly word, not "the article doesn\'t say"', () => {
      const payload = payloadOf(router.command(request('ask', { question: 'hello!' })));
      expect(payload.embeds[0]?.title).toBe('Hello');
      expect(payload.embeds[0]?.description).toMatch(/I answer questions about the article/);
    });
    it('handles an empty question with a hint instead of a passage', () => {
      const payload = payloadOf(router.command(request('ask', { question: '   ' })));
      expect(payload.embeds[0]?.title).toBe("The article doesn't say");
    });
    it('offers article titles in autocomplete', () => {
      expect(router.autocomplete(request('ask'), { name: 'article', value: 'kim' })).toEqual([
        { name: "North Korea's Kim and Russia's Putin in Secret Talks", value: 'kim-putin-secret-talks' },
      ]);
    });
  });

  describe('buttons', () => {
    it('reveals more passages to the asker, keeping the first', () => {
      const first = payloadOf(router.command(request('ask', { question: 'joint military exercises' })));
      const more = customIds(first).find((id) => id.startsWith('more:'))!;
      const response = router.component({ customId: more, user: asker, message: { content: first.content ?? '', embeds: first.embeds } });
      expect(response.kind).toBe('update');
      const payload = payloadOf(response);
      expect(payload.embeds[0]).toEqual(first.embeds[0]);
      expect(payload.embeds.length).toBeGreaterThan(1);
      expect(customIds(payload)).toEqual(['delete:111111111111111111']);
    });
    it('refuses someone else, briefly and privately', () => {
      const response = router.component({
        customId: 'delete:111111111111111111',
        user: { id: '3', name: 'other' },
        message: { content: '', embeds: [] },
      });
      expect(payloadOf(response).ephemeral).toBe(true);
    });
    it('deletes for the asker', () => {
      expect(router.component({ customId: 'delete:111111111111111111', user: asker, message: { content: '', embeds: [] } }).kind).toBe(
        'delete',
      );
    });
    it('says so when a button refers to passages no longer in the corpus', () => {
      const payload = payloadOf(
        router.component({ customId: `more:${asker.id}:gone#1.0`, user: asker, message: { content: '', embeds: [] } }),
      );
      expect(payload.embeds[0]?.description).toMatch(/no longer/);
    });
  });

  describe('/passage', () => {
    it('quotes a paragraph', () => {
      expect(payloadOf(router.command(request('passage', { number: 5 }))).embeds[0]?.description).toMatch(
        /^North Korea possesses significant ammunition stockpiles/,
      );
    });
    for (const number of [0, -3, 12, 99]) {
      it(`refuses ¶${number} with the valid range, privately`, () => {
        const payload = payloadOf(router.command(request('passage', { number })));
        expect(payload.ephemeral).toBe(true);
        expect(payload.embeds[0]?.description).toMatch(/¶1 to ¶11/);
      });
    }
    it('offers paragraphs matching the typed number or words', () => {
      expect(router.autocomplete(request('passage'), { name: 'number', value: '1' }).map((c) => c.value)).toEqual([1, 10, 11]);
      expect(router.autocomplete(request('passage'), { name: 'number', value: 'juche' }).map((c) => c.value)).toEqual([9]);
    });
  });

  describe('/who-is', () => {
    it('gives the card of a person', () => {
      const embed = payloadOf(router.command(request('who-is', { name: 'Kim Jong-un' }))).embeds[0];
      expect(embed?.title).toBe('Kim Jong Un');
      expect(embed?.fields?.[0]?.value).toMatch(/leader/);
    });
    it('says a name is not mentioned, with the closest ones it does mention', () => {
      const embed = payloadOf(router.command(request('who-is', { name: 'Biden' }))).embeds[0];
      expect(embed?.title).toBe('Not mentioned');
    });
    it('puts people first in autocomplete', () => {
      const choices = router.autocomplete(request('who-is'), { name: 'name', value: '' });
      expect(choices.length).toBeGreaterThan(4);
      expect(choices.length).toBeLessThanOrEqual(25);
      expect(
        choices
          .slice(0, 4)
          .map((c) => c.value)
          .sort(),
      ).toEqual(['Donald Trump', 'Kim Jong Un', 'Sergei Shoigu', 'Vladimir Putin']);
    });
  });

  describe('/article and /help', () => {
    it('shows the article card', () => {
      const embed = payloadOf(router.command(request('article'))).embeds[0];
      expect(embed?.description).toMatch(/11 paragraphs/);
      expect(embed?.fields?.[0]?.value).toMatch(/¶1–3 · \(opening\)/);
    });
    it('lists every command in help', () => {
      const text = payloadOf(router.command(request('help'))).embeds[0]?.description ?? '';
      for (const name of ['/ask', '/who-is', '/passage', '/article', 'Find in article']) expect(text).toContain(name);
    });
  });

  describe('Find in article', () => {
    it('answers from the message text', () => {
      const payload = payloadOf(
        router.command({
          ...request('Find in article'),
          targetMessage: { id: '1', content: 'Kim wants hypersonic weapons and a spy satellite', authorId: '2' },
        }),
      );
      expect(payload.embeds[0]?.title).toMatch(/¶8/);
    });
    it('explains when the message has no text', () => {
      const payload = payloadOf(router.command({ ...request('Find in article'), targetMessage: { id: '1', content: '', authorId: '2' } }));
      expect(payload.ephemeral).toBe(true);
    });
  });

  it('answers an unknown command without throwing', () => {
    expect(payloadOf(router.command(request('nope'))).ephemeral).toBe(true);
  });
});

describe('cooldown', () => {
  it('allows five commands in ten seconds, then says when to try again', async () => {
    let now = 0;
    const router = await testRouter(pino({ level: 'silent' }), [], new Cooldown(5, 10_000, () => now));
    for (let i = 0; i < 5; i += 1) expect(payloadOf(router.command(request('help'))).embeds[0]?.title).toBe('How to use the article bot');
    const limited = payloadOf(router.command(request('help')));
    expect(limited.ephemeral).toBe(true);
    expect(limited.embeds[0]?.description).toMatch(/try again in 10 s/);
    expect(payloadOf(router.command(request('help', {}, { id: '9', name: 'someone else' }))).embeds[0]?.title).toBe(
      'How to use the article bot',
    );
    now = 10_001;
    expect(payloadOf(router.command(request('help'))).embeds[0]?.title).toBe('How to use the article bot');
  });
});

describe('local console', () => {
  const names = (command: string): string[] =>
    ({ ask: ['question', 'hide', 'mention', 'article'], passage: ['number', 'article'] })[command] ?? [];
  it('puts the rest of the line in the first option', () => {
    expect(parseConsoleLine('/ask What is juche?', names)?.options.get('question')).toBe('What is juche?');
    expect(parseConsoleLine('/passage 3', names)?.options.get('number')).toBe(3);
  });
  it('reads name: value pairs as in Discord', () => {
    const parsed = parseConsoleLine('/ask question: What is juche? hide: true', names);
    expect(parsed?.options.get('question')).toBe('What is juche?');
    expect(parsed?.options.get('hide')).toBe(true);
  });
  it('renders a payload as text, buttons as words to type', () => {
    const text = renderPayload(
      {
        content: '**Q:** hi',
        embeds: [{ title: 'T', description: 'a **b** c', footer: { text: 'f' } }],
        components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Delete', custom_id: 'delete:1' }] }],
        allowed_mentions: { parse: [] },
        ephemeral: false,
      },
      false,
    );
    expect(text).toContain('Q: hi');
    expect(text).toContain('a b c');
    expect(text).toContain('[Delete]');
  });
});
