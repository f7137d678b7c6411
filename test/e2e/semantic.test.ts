/**
 * /ask with the semantic stage on, through the real discord.js client: the re-ranked answer is sent
 * as a direct reply when the encoder is quick, and a late or stuck encoder costs a deferral and the
 * lexical answer, never the 3-second window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from '../../src/bot/router.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import type { Reranker } from '../../src/bot/answering.js';
import type { GatewayBot } from '../../src/discord/bot.js';
import type { Answer } from '../../src/search/engine.js';
import { WorkerEmbedder } from '../../src/search/semantic/embedder.js';
import { SemanticRanker } from '../../src/search/semantic/ranker.js';
import { SEMANTIC } from '../../src/search/semantic/rerank.js';
import { loadCommands } from '../../commands/index.js';
import { captureLogger, corpusLibrary, startTestBot } from '../support/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';

interface Body {
  type: number;
  data?: { embeds?: { title?: string; description?: string }[] };
}

async function routerWith(semantic: Reranker, logger: ReturnType<typeof captureLogger>['logger']): Promise<Router> {
  const library = await corpusLibrary();
  return new Router(new Map(loadCommands()), COMPONENTS, { library: () => library, logger, semantic }, new Cooldown(1000, 10_000));
}

/** A question of the fixture set whose first passage the re-ranking changes (and, measured, puts right). */
const QUESTION = 'what did shoigu talk about when he went to the DPRK';

describe('/ask with the semantic stage', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot | undefined;
  let ranker: SemanticRanker;
  const { logger } = captureLogger();

  beforeAll(async () => {
    fake = await startFakeDiscord();
    ranker = new SemanticRanker(new WorkerEmbedder());
  });
  afterAll(async () => {
    await bot?.stop();
    await ranker?.close();
    await fake?.close();
  });

  it('replies directly with the re-ranked passage', async () => {
    bot = await startTestBot(fake.apiBase, await routerWith(ranker, logger), logger);
    const library = await corpusLibrary();
    await ranker.warm(library.engine.articles.values());
    const lexical = library.engine.ask(QUESTION, { top: SEMANTIC.passages });
    const expected = await ranker.rerank(QUESTION, lexical, 3);
    // Else this test could not tell a re-ranked reply from a lexical one.
    expect(expected.passages[0]?.paragraph).not.toBe(lexical.passages[0]?.paragraph);
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: QUESTION }]));
    const body = (await fake.waitForCallback(interaction.id)).body as Body;
    expect(body.type).toBe(4);
    const first = expected.passages[0];
    expect(body.data?.embeds?.[0]?.title).toContain(`¶${first?.paragraph}`);
    expect(body.data?.embeds?.[0]?.description).toContain(`**${first?.sentence.text.slice(0, 40)}`);
    await bot.stop();
    bot = undefined;
  });

  it('defers, then answers by words alone, when the encoder never answers', async () => {
    const stuck: Reranker = {
      // The ranker's own deadline gives the lexical answer; here the encoder is simply never heard from.
      rerank: (_question: string, answer: Answer, top: number) =>
        new Promise((resolve) => setTimeout(() => resolve({ ...answer, passages: answer.passages.slice(0, top) }), 1800)),
    };
    bot = await startTestBot(fake.apiBase, await routerWith(stuck, logger), logger);
    const started = performance.now();
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: QUESTION }]));
    const callback = await fake.waitForCallback(interaction.id);
    expect(callback.at - started).toBeLessThan(3000);
    expect((callback.body as Body).type).toBe(5);
    const edit = await fake.waitForRequest((r) => r.interactionId === interaction.id && r.method === 'PATCH');
    const lexical = (await corpusLibrary()).engine.ask(QUESTION, { top: 3 });
    expect((edit.body as Body['data'])?.embeds?.[0]?.title).toContain(`¶${lexical.passages[0]?.paragraph}`);
  });
});
