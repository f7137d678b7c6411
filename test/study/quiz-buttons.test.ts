import fc from 'fast-check';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Router } from '../../src/bot/router.js';
import { parseArticle } from '../../src/corpus/parse.js';
import { libraryFrom } from '../../src/library.js';
import { SearchEngine } from '../../src/search/engine.js';
import { openCorpus } from '../../src/search/open.js';
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

  it('score a quiz started by /quiz: a real press updates the counts and answers the presser alone', () => {
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

describe('a reading with too little in it', () => {
  it('gets a notice from /quiz and /map instead of a quiz or a picture', async () => {
    const { aliases } = await openCorpus('test/fixtures/corpus');
    const short = parseArticle('short.md', '---\ntitle: A Short Note\n---\n\nIt rained all day, and the river rose a little.\n');
    const library = libraryFrom(SearchEngine.build([short], aliases));
    const router = new Router(loadCommands(), COMPONENTS, { library: () => library, logger: pino({ level: 'silent' }) });
    const run = (commandName: string) => router.command({ commandName, user: { id: '1', name: 'a' }, guildId: null, options: new Map() });
    const quiz = run('quiz');
    if (quiz.kind !== 'reply') throw new Error('expected a reply');
    expect(quiz.payload.ephemeral).toBe(true);
    expect(quiz.payload.embeds[0]?.description).toMatch(/too short to make a quiz/);
    const map = run('map');
    if (map.kind !== 'reply') throw new Error('expected a reply');
    expect(map.payload.embeds[0]?.description).toMatch(/names no people, places or organisations/);
  });
});
