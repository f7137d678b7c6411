/**
 * /ask with the semantic stage on, through the real discord.js client: the re-ranked answer is sent
 * as a direct reply when the encoder is quick, and a late or stuck encoder costs a deferral and the
 * lexical answer, never the 3-second window.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readQuestions } from '../../src/eval/metrics.js';
import { Router } from '../../src/bot/router.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import type { Reranker } from '../../src/search/semantic/two-stage.js';
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

/** Questions of the project's set, among which one is found whose first passage the re-ranking changes. */
const FIXTURE_QUESTIONS = 'test/fixtures/questions.project.jsonl';
/** Any question with several passages: the stuck re-ranker is never asked to do better. */
const QUESTION_IN_OTHER_WORDS = 'What does North Korea hope to get back?';

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
    await ranker?.close();
    await fake?.close();
  });

  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('replies directly with the re-ranked passage', async () => {
    bot = await startTestBot(fake.apiBase, await routerWith(ranker, logger), logger);
    const library = await corpusLibrary();
    await ranker.warm(library.engine.articles.values());
    // A question whose re-ranked first passage differs, else this test could not tell the two apart.
    let question: string | undefined;
    let expected: Answer | undefined;
    for (const { q } of await readQuestions(FIXTURE_QUESTIONS)) {
      const lexical = library.engine.ask(q, { top: SEMANTIC.passages });
      const reranked = await ranker.rerank(q, lexical, 3);
      if (reranked.passages[0] !== undefined && reranked.passages[0].paragraph !== lexical.passages[0]?.paragraph) {
        question = q;
        expected = reranked;
        break;
      }
    }
    expect(question).toBeDefined();
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: question ?? '' }]));
    const body = (await fake.waitForCallback(interaction.id)).body as Body;
    expect(body.type).toBe(4);
    const first = expected?.passages[0];
    expect(body.data?.embeds?.[0]?.title).toContain(`¶${first?.paragraph}`);
    expect(body.data?.embeds?.[0]?.description).toContain(`**${first?.sentence.text.slice(0, 40)}`);
  });

  it('defers, then answers by words alone, when the encoder never answers', async () => {
    const stuck: Reranker = {
      // The ranker's own deadline gives the lexical answer; here the encoder is simply never heard from.
      rerank: (_question: string, answer: Answer, top: number) =>
        new Promise((resolve) => setTimeout(() => resolve({ ...answer, passages: answer.passages.slice(0, top) }), 1800)),
    };
    bot = await startTestBot(fake.apiBase, await routerWith(stuck, logger), logger);
    const started = performance.now();
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: QUESTION_IN_OTHER_WORDS }]));
    const callback = await fake.waitForCallback(interaction.id);
    expect(callback.at - started).toBeLessThan(3000);
    expect((callback.body as Body).type).toBe(5);
    const edit = await fake.waitForRequest((r) => r.interactionId === interaction.id && r.method === 'PATCH');
    const lexical = (await corpusLibrary()).engine.ask(QUESTION_IN_OTHER_WORDS, { top: 3 });
    expect((edit.body as Body['data'])?.embeds?.[0]?.title).toContain(`¶${lexical.passages[0]?.paragraph}`);
  });
});
