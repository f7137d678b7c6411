import fc from 'fast-check';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '../../src/bot/router.js';
import type { Response } from '../../src/reply/types.js';
import { articleRef, quizCustomId } from '../../src/reply/quiz.js';
import { corpusLibrary, testRouter } from '../support/bot.js';
import { assertPingsNobody, assertWithinDiscordLimits } from '../support/limits.js';

const payloads = (response: Response) =>
  response.kind === 'reply'
    ? [response.payload]
    : response.kind === 'update'
      ? [response.payload, ...(response.followUp ? [response.followUp] : [])]
      : [];

describe('quiz buttons', () => {
  let router: Router;
  let realArticle: string;
  beforeAll(async () => {
    router = await testRouter(pino({ level: 'silent' }));
    realArticle = articleRef((await corpusLibrary()).articles[0]!);
  });

  it('answer any well-formed press, from anyone, within Discord limits and pinging nobody', () => {
    const press = fc.record({
      article: fc.oneof(fc.constant('real'), fc.stringMatching(/^[0-9a-z]{1,7}$/)),
      version: fc.stringMatching(/^[0-9a-z]{1,7}$/),
      seed: fc.integer({ min: 1, max: 2 ** 40 }),
      of: fc.integer({ min: 1, max: 10 }),
      q: fc.nat(9),
      choice: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      name: fc.string({ maxLength: 40 }),
    });
    fc.assert(
      fc.property(press, ({ article, version, seed, of, q, choice, name }) => {
        const ref = { article: article === 'real' ? realArticle : article, version, seed, of, question: (q % of) + 1 };
        const customId = quizCustomId(choice === undefined ? { action: 'next', ...ref } : { action: 'answer', choice, ...ref });
        const response = router.component({
          customId,
          user: { id: '5', name, displayName: `${name} @everyone` },
          message: { content: '', embeds: [] },
        });
        for (const payload of payloads(response)) {
          assertWithinDiscordLimits(payload);
          assertPingsNobody(payload);
        }
        expect(response.kind).not.toBe('delete');
      }),
      { numRuns: 200 },
    );
  });

  it('score a quiz started by /quiz: a real press updates the counts and answers the presser alone', async () => {
    const started = router.command({
      commandName: 'quiz',
      user: { id: '1', name: 'host' },
      guildId: '2',
      options: new Map([['questions', 2]]),
    });
    if (started.kind !== 'reply') throw new Error('expected a reply');
    const ids = started.payload.components.flatMap((row) => row.components.flatMap((c) => ('custom_id' in c ? [c.custom_id] : [])));
    const response = router.component({ customId: ids[0]!, user: { id: '7', name: 'guest' }, message: { content: '', embeds: [] } });
    expect(response.kind).toBe('update');
    if (response.kind !== 'update') return;
    expect(response.payload.embeds[0]?.description).toMatch(/\*\*1\*\* answered/);
    expect(response.followUp?.ephemeral).toBe(true);
    expect(response.followUp?.embeds[0]?.footer?.text).toMatch(/¶\d+$/);
  });
});
