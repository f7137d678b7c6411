/**
 * "More passages" after the article is edited between the answer and the click. The button names
 * the passages it found; after a paragraph is inserted at the top, the numbers point one paragraph
 * too early. The click must show the passages originally found (where they moved), or say the
 * article changed, never silently show other paragraphs.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { Router } from '../../src/bot/router.js';
import { parseArticle } from '../../src/corpus/parse.js';
import type { GatewayBot } from '../../src/discord/bot.js';
import { libraryFrom, type Library } from '../../src/library.js';
import { loadAliases } from '../../src/search/aliases.js';
import { SearchEngine } from '../../src/search/engine.js';
import { captureLogger, startTestBot } from '../support/bot.js';
import { buttonClick, slashCommand, startFakeDiscord, type FakeDiscord, type RawObject } from '../support/fakeDiscord.js';

const FILE = 'test/fixtures/corpus-two/kim-putin-secret-talks.md';
const QUESTION = 'joint military exercises';
const INSERTED = 'An editor’s note added at the top of the article, about nothing in particular.';

interface Embed {
  description?: string;
  footer?: { text: string };
}

describe('"More passages" after an edit', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  let original: Library;
  let current: Library;
  const asker = { id: '200000000000000011', username: 'asker' };
  const { logger } = captureLogger();

  /** The article's text with `edit` applied to its body (after the front matter). */
  async function libraryWith(edit: (body: string) => string): Promise<Library> {
    const text = await readFile(FILE, 'utf8');
    const end = text.indexOf('\n---', 3) + 4;
    const article = parseArticle(FILE, text.slice(0, end) + edit(text.slice(end)));
    return libraryFrom(SearchEngine.build([article], await loadAliases('corpus')));
  }

  beforeAll(async () => {
    original = await libraryWith((body) => body);
    current = original;
    const router = new Router(loadCommands(), COMPONENTS, { library: () => current, logger }, new Cooldown(1000, 10_000));
    fake = await startFakeDiscord();
    bot = await startTestBot(fake.apiBase, router, logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  /** Asks against the original article; returns the reply and its More button's id. */
  async function askOriginal(): Promise<{ reply: RawObject; moreId: string }> {
    current = original;
    const interaction = fake.dispatchInteraction(slashCommand('ask', [{ name: 'question', value: QUESTION }]), { user: asker });
    await fake.waitForCallback(interaction.id, 10_000);
    const reply = fake.originalResponse(interaction.id) as unknown as RawObject;
    const rows = reply['components'] as { components: { custom_id: string }[] }[];
    return { reply, moreId: rows[0]!.components[0]!.custom_id };
  }

  async function click(moreId: string, reply: RawObject): Promise<{ type: number; data?: { embeds?: Embed[]; flags?: number } }> {
    const press = fake.dispatchInteraction(buttonClick(moreId, reply), { user: asker });
    return (await fake.waitForCallback(press.id, 10_000)).body as { type: number; data?: { embeds?: Embed[]; flags?: number } };
  }

  /** What the click showed when nothing changed: the passages found, as text. */
  async function unchanged(): Promise<Embed[]> {
    const { reply, moreId } = await askOriginal();
    const body = await click(moreId, reply);
    return (body.data?.embeds ?? []).slice(1);
  }

  const paragraphOf = (embed: Embed): number => Number(/¶(\d+)/.exec(embed.footer?.text ?? '')?.[1]);

  it('shows the passages originally found when a paragraph was inserted above them', async () => {
    const expected = await unchanged();
    expect(expected.length).toBeGreaterThan(0);
    const { reply, moreId } = await askOriginal();
    current = await libraryWith((body) => `\n\n${INSERTED}\n${body}`);
    const body = await click(moreId, reply);
    expect(body.type).toBe(7);
    const shown = (body.data?.embeds ?? []).slice(1);
    expect(shown.map((embed) => embed.description)).toEqual(expected.map((embed) => embed.description));
    // Attributed to where they stand now: one paragraph further down.
    expect(shown.map(paragraphOf)).toEqual(expected.map((embed) => paragraphOf(embed) + 1));
    expect(JSON.stringify(shown)).not.toContain('editor');
  });

  it('says the article changed when a passage found is no longer in it', async () => {
    const { reply, moreId } = await askOriginal();
    const refs = moreId.split(':').slice(2).join(':').split(';');
    const number = Number(/#(\d+)\./.exec(refs[0] ?? '')?.[1]);
    // Rewrites the paragraph the first hidden passage came from.
    current = await libraryWith((body) => {
      const blocks = body.split(/\n\s*\n/);
      let seen = 0;
      return blocks
        .map((block) => {
          if (block.trim() === '' || block.trim().startsWith('#')) return block;
          seen += 1;
          return seen === number ? 'A rewritten paragraph that says something else entirely.' : block;
        })
        .join('\n\n');
    });
    const body = await click(moreId, reply);
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.embeds?.[0]?.description).toMatch(/article has changed since this answer/);
  });
});
