import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayBot } from '../../src/discord/bot.js';
import { parseQuizCustomId } from '../../src/reply/quiz.js';
import { makeQuiz } from '../../src/study/quiz.js';
import {
  buttonClick,
  slashCommand,
  startFakeDiscord,
  type FakeDiscord,
  type FakeMessage,
  type RecordedRequest,
} from '../support/fakeDiscord.js';
import { captureLogger, corpusLibrary, startTestBot, testRouter } from '../support/bot.js';

const EPHEMERAL = 64;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface Body {
  type?: number;
  content?: string;
  flags?: number;
  embeds?: { title?: string; description?: string; footer?: { text: string }; image?: { url: string } }[];
  components?: { components: { custom_id?: string; label?: string }[] }[];
  allowed_mentions?: { parse: string[]; users?: string[] };
  attachments?: { id: number | string; filename: string; description?: string }[];
  data?: Body;
}

const customIdsOf = (message: { components?: unknown[] } | Body | undefined): string[] =>
  ((message?.components ?? []) as { components: { custom_id?: string }[] }[]).flatMap((row) =>
    row.components.flatMap((c) => (c.custom_id ? [c.custom_id] : [])),
  );

function expectNoPing(body: Body | undefined): void {
  expect(body?.allowed_mentions?.parse).toEqual([]);
  expect(body?.allowed_mentions?.users ?? []).toEqual([]);
  expect(JSON.stringify(body)).not.toMatch(/<@[!&]?\d+>|@everyone|@here/);
}

describe('study tools through the real discord.js client', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  const { logger } = captureLogger();

  beforeAll(async () => {
    // Discord's own window: a callback later than 3 s is refused as Unknown interaction.
    fake = await startFakeDiscord({ callbackDeadlineMs: 3000 });
    bot = await startTestBot(fake.apiBase, await testRouter(logger), logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  /** Presses a button and returns the callback and, when one comes, the follow-up sent after it. */
  async function press(customId: string, message: FakeMessage, user: { id: string; username: string }, nick?: string) {
    const answering = customId.startsWith('quiz:a:');
    const started = performance.now();
    const interaction = fake.dispatchInteraction(buttonClick(customId, message), { user, ...(nick ? { nick } : {}) });
    const callback = await fake.waitForCallback(interaction.id);
    expect(callback.at - started).toBeLessThan(3000);
    const body = callback.body as Body;
    let followUp: RecordedRequest | undefined;
    if (body.type === 7 && answering) {
      followUp = await fake.waitForRequest(
        (r) => r.interactionId === interaction.id && r.method === 'POST' && /^\/webhooks\/[^/]+\/[^/]+$/.test(r.route),
      );
    }
    return { body, followUp: followUp?.body as Body | undefined };
  }

  describe('/quiz', () => {
    const ann = { id: '300000000000000001', username: 'ann' };
    const ben = { id: '300000000000000002', username: 'ben' };

    it('asks, tells each member their result alone, counts without naming, moves on and ends with a scoreboard', async () => {
      const started = performance.now();
      const command = fake.dispatchInteraction(slashCommand('quiz', [{ name: 'questions', value: 2 }]));
      const callback = await fake.waitForCallback(command.id);
      expect(callback.at - started).toBeLessThan(3000);
      const asked = callback.body as Body;
      expect(asked.type).toBe(4);
      expect(asked.data?.flags ?? 0).toBe(0);
      expectNoPing(asked.data);
      expect(asked.data?.embeds?.[0]?.title).toBe('Quiz · question 1 of 2');
      expect(asked.data?.embeds?.[0]?.description).toMatch(/＿＿＿＿/);
      expect(asked.data?.embeds?.[0]?.description).toMatch(/\*\*0\*\* answered · \*\*0\*\* right/);
      const rows = asked.data?.components ?? [];
      expect(rows.map((row) => row.components.length)).toEqual([4, 1]);
      expect(rows[1]?.components[0]?.label).toBe('Next question');

      const ids = customIdsOf(asked.data);
      const ref = parseQuizCustomId(ids[0] ?? '');
      if (!ref) throw new Error(`not a quiz id: ${ids[0]}`);
      const library = await corpusLibrary();
      const item = makeQuiz(library.articles[0]!, library.directory, ref.seed, ref.of)[0]!;
      expect(rows[0]?.components.map((c) => c.label)).toEqual(item.options);
      const rightId = ids[item.answer]!;
      const wrongId = ids[(item.answer + 1) % 4]!;
      const nextId = ids[4]!;
      const message = fake.originalResponse(command.id)!;

      // Ann is right: she alone sees it, with the sentence and where it stands; the message counts 1 of 1.
      const first = await press(rightId, message, ann, 'Ann @everyone');
      expect(first.body.type).toBe(7);
      expect(first.body.data?.embeds?.[0]?.description).toMatch(/\*\*1\*\* answered · \*\*1\*\* right/);
      expect(first.followUp?.flags).toBe(EPHEMERAL);
      expect(first.followUp?.embeds?.[0]?.title).toBe('Right!');
      // Title · Section · ¶N, the section left out before the first heading.
      const title = library.articles[0]!.title;
      expect(first.followUp?.embeds?.[0]?.footer?.text).toBe(
        item.section === null ? `${title} · ¶${item.paragraph}` : `${title} · ${item.section} · ¶${item.paragraph}`,
      );
      expect(first.followUp?.embeds?.[0]?.description).toContain(`**${item.sentence.slice(item.start, item.end)}**`);
      expectNoPing(first.body.data);
      expectNoPing(first.followUp);

      // Ben is wrong; the counts say 2 answered, 1 right, and name nobody.
      const second = await press(wrongId, fake.message(message.id)!, ben);
      expect(second.body.data?.embeds?.[0]?.description).toMatch(/\*\*2\*\* answered · \*\*1\*\* right/);
      expect(second.body.data?.embeds?.[0]?.description).not.toMatch(/ann|ben/i);
      expect(second.followUp?.flags).toBe(EPHEMERAL);
      expect(second.followUp?.embeds?.[0]?.title).toBe('Not quite');
      expect(second.followUp?.embeds?.[0]?.description).toContain(`**${item.options[item.answer]}**`);

      // A second press changes nothing and says so, to Ann alone.
      const again = await press(wrongId, fake.message(message.id)!, ann);
      expect(again.body.type).toBe(4);
      expect(again.body.data?.flags).toBe(EPHEMERAL);
      expect(again.body.data?.embeds?.[0]?.title).toBe('You already answered this one');

      // Only the member who started the quiz moves it on.
      const refused = await press(nextId, fake.message(message.id)!, ben);
      expect(refused.body.type).toBe(4);
      expect(refused.body.data?.flags).toBe(EPHEMERAL);

      const moved = await press(nextId, fake.message(message.id)!, { id: fake.defaultUser.id, username: fake.defaultUser.username });
      expect(moved.body.type).toBe(7);
      expect(moved.body.data?.embeds?.[0]?.title).toBe('Quiz · question 2 of 2');
      expect(moved.body.data?.embeds?.[0]?.description).toMatch(/^Question 1: the answer was \*\*/);
      const ids2 = customIdsOf(moved.body.data);
      expect(ids2[4]).toMatch(/^quiz:n:/);
      expect(moved.body.data?.components?.[1]?.components[0]?.label).toBe('Finish: show the scores');

      // A button of the closed question no longer counts.
      const late = await press(rightId, fake.message(message.id)!, ben);
      expect(late.body.data?.flags).toBe(EPHEMERAL);
      expect(late.body.data?.embeds?.[0]?.description).toMatch(/closed/);

      const item2 = makeQuiz(library.articles[0]!, library.directory, ref.seed, ref.of)[1]!;
      const answered2 = await press(ids2[item2.answer]!, fake.message(message.id)!, ann, 'Ann @everyone');
      expect(answered2.followUp?.embeds?.[0]?.title, JSON.stringify(answered2.body)).toBe('Right!');
      const finished = await press(ids2[4]!, fake.message(message.id)!, { id: fake.defaultUser.id, username: fake.defaultUser.username });
      const board = finished.body.data?.embeds?.[0];
      expect(board?.title).toBe('Quiz over · 2 questions');
      expect(board?.description).toContain('**Scores**\n1. Ann @\u200beveryone: 2 of 2\n2. ben: 0 of 2');
      expect(finished.body.data?.components ?? []).toEqual([]);
      expectNoPing(finished.body.data);
    });

    it('differs between runs', async () => {
      const seeds = new Set<number>();
      for (let i = 0; i < 3; i++) {
        const command = fake.dispatchInteraction(slashCommand('quiz'));
        const body = (await fake.waitForCallback(command.id)).body as Body;
        seeds.add(parseQuizCustomId(customIdsOf(body.data)[0] ?? '')?.seed ?? -1);
      }
      expect(seeds.size).toBe(3);
    });
  });

  describe('/map', () => {
    it('defers at once, then edits in a PNG that arrives as a file and shows in the embed', async () => {
      const started = performance.now();
      const command = fake.dispatchInteraction(slashCommand('map'));
      const callback = await fake.waitForCallback(command.id);
      expect(callback.at - started).toBeLessThan(3000);
      expect((callback.body as Body).type).toBe(5);
      const edit = await fake.waitForRequest(
        (r) => r.interactionId === command.id && r.method === 'PATCH' && r.route.endsWith('/messages/@original'),
        10_000,
      );
      expect(edit.files).toHaveLength(1);
      const file = edit.files[0]!;
      expect(file.filename).toBe('map.png');
      expect(file.data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(file.data.length).toBeLessThan(10 * 1024 * 1024);
      expect(file.data.readUInt32BE(16)).toBe(1200);
      const body = edit.body as Body;
      expect(body.embeds?.[0]?.image?.url).toBe('attachment://map.png');
      expectNoPing(body);
      const shown = fake.originalResponse(command.id);
      expect(shown?.attachments.map((a) => a['filename'])).toEqual(['map.png']);
      expect(shown?.flags ?? 0).toBe(0);
    });
  });

  describe('/article', () => {
    it('adds the article in brief: three to five of its sentences, each with its ¶', async () => {
      const command = fake.dispatchInteraction(slashCommand('article'));
      const body = (await fake.waitForCallback(command.id)).body as Body;
      const brief = body.data?.embeds?.find((embed) => embed.title === 'In brief');
      const lines = brief?.description?.split('\n') ?? [];
      expect(lines.length).toBeGreaterThanOrEqual(3);
      expect(lines.length).toBeLessThanOrEqual(5);
      const library = await corpusLibrary();
      for (const line of lines) {
        const match = /^• (.+) \(¶(\d+)\)$/.exec(line);
        expect(match, line).not.toBeNull();
        expect(library.articles[0]!.paragraphs[Number(match![2]) - 1]?.text.replace(/[\\*_~`|]/g, '')).toContain(
          match![1]!.replace(/\\/g, ''),
        );
      }
    });
  });

  describe('/help', () => {
    it('describes /quiz, /map and the brief', async () => {
      const command = fake.dispatchInteraction(slashCommand('help'));
      const body = (await fake.waitForCallback(command.id)).body as Body;
      const text = body.data?.embeds?.[0]?.description ?? '';
      expect(text).toMatch(/\*\*\/quiz\*\*/);
      expect(text).toMatch(/\*\*\/map\*\*/);
      expect(text).toMatch(/in brief/);
    });
  });
});
