import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayBot } from '../../src/discord/bot.js';
import type { ServerReadings } from '../../src/readings/servers.js';
import {
  attachmentOption,
  autocomplete,
  buttonClick,
  modalSubmit,
  slashCommand,
  snowflake,
  startFakeDiscord,
  subcommand,
  subcommandAutocomplete,
  type FakeDiscord,
  type FakeInteraction,
  type RawObject,
} from '../support/fakeDiscord.js';
import { captureLogger, readingsRouter, startTestBot } from '../support/bot.js';

const EPHEMERAL = 64;
/** Manage Server, plus the everyday bits. */
const MODERATOR = String((1n << 5n) | (1n << 10n) | (1n << 11n) | (1n << 31n));
const MEMBER = String((1n << 10n) | (1n << 11n) | (1n << 31n));
const MAX_BYTES = 4096;
const TIMEOUT_MS = 2000;

const PENGUINS = `Penguins of the Ross Sea

Emperor penguins huddle together through the Antarctic winter to survive temperatures of minus 40 degrees. Researcher Anna Holm of the Norwegian Polar Institute has tracked the colonies since 2015.

## Why they huddle

A huddle shares warmth: birds on the edge move inward in turn, so no penguin stays exposed for long. Holm said the colonies near Cape Crozier have shrunk by a third.
`;
const PENGUIN_QUESTION = 'Why do emperor penguins huddle?';
/** How an answer from the penguin reading is attributed: `Title · [Section · ]¶N`. */
const PENGUIN_ANSWER = /^Penguins of the Ross Sea · (Why they huddle · )?¶[12]$/;

interface Embed {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
}
interface Body {
  type: number;
  data?: {
    custom_id?: string;
    flags?: number;
    content?: string;
    embeds?: Embed[];
    components?: { components: { custom_id?: string; label?: string }[] }[];
    choices?: { name: string; value: string | number }[];
    allowed_mentions?: { parse: string[] };
  };
}

describe('server readings, end to end', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  let readings: ServerReadings;
  let dir: string;
  const { logger, lines } = captureLogger();
  let guildA: string;
  let guildB: string;
  const moderator = { id: snowflake(), username: 'mod' };

  async function startBot(): Promise<void> {
    const started = await readingsRouter(logger, {
      readingsDir: dir,
      cdnBase: fake.cdnBase,
      limits: { maxBytes: MAX_BYTES, downloadTimeoutMs: TIMEOUT_MS },
    });
    readings = started.readings;
    bot = await startTestBot(fake.apiBase, started.router, logger);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'readings-e2e-'));
    guildA = snowflake();
    guildB = snowflake();
    fake = await startFakeDiscord({ guilds: [{ id: guildA }, { id: guildB }] });
    await startBot();
  });
  afterAll(async () => {
    await bot?.stop();
    await readings?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function send(init: Parameters<FakeDiscord['dispatchInteraction']>[0], options: Parameters<FakeDiscord['dispatchInteraction']>[1] = {}) {
    return fake.dispatchInteraction(init, { user: moderator, permissions: MODERATOR, ...options });
  }
  async function callback(interaction: FakeInteraction): Promise<Body> {
    return (await fake.waitForCallback(interaction.id)).body as Body;
  }
  /**
   * The reply as the member ends up seeing it: the callback's message, or, when the bot deferred
   * because a busy machine made the interaction arrive late, the edit that followed.
   */
  async function reply(interaction: FakeInteraction): Promise<Body> {
    const first = await callback(interaction);
    if (first.type !== 5) return first;
    const message = await settled(interaction);
    return { type: 4, data: { flags: message.flags, embeds: message.embeds, components: message.components as never } };
  }
  /** The message a deferred interaction ends up as, once the bot has edited it. */
  async function settled(interaction: FakeInteraction): Promise<{ flags: number; embeds: Embed[]; components: unknown[] }> {
    await fake.waitForRequest((r) => r.interactionId === interaction.id && r.method === 'PATCH', 5000);
    const message = fake.originalResponse(interaction.id);
    if (!message) throw new Error('no original response');
    return { flags: message.flags, embeds: message.embeds as Embed[], components: message.components };
  }
  const savedFiles = (guildId: string): string[] => {
    try {
      return readdirSync(path.join(dir, guildId)).sort();
    } catch {
      return [];
    }
  };
  async function addFile(filename: string, data: Buffer | string, serving = {}, guildId = guildA) {
    const attachment = fake.serveAttachment(filename, data, serving);
    const interaction = send(subcommand('reading', 'add', [attachmentOption('file', attachment)]), { guildId });
    const first = await callback(interaction);
    return { interaction, first, attachment };
  }
  async function ask(question: string, guildId: string | null) {
    return (await reply(send(slashCommand('ask', [{ name: 'question', value: question }]), { guildId }))).data?.embeds?.[0];
  }

  it('adds a reading from a file: deferred privately, then its card and a question it answers', async () => {
    const { interaction, first } = await addFile('penguins.txt', PENGUINS, { contentType: 'text/plain' });
    expect(first.type).toBe(5);
    expect(first.data?.flags).toBe(EPHEMERAL);
    const card = (await settled(interaction)).embeds[0];
    expect(card?.title).toBe('Added: Penguins of the Ross Sea');
    expect(card?.description).toMatch(/\*\*Paragraphs:\*\* 2/);
    const field = (name: string) => card?.fields?.find((f) => f.name === name)?.value ?? '';
    expect(field('Sections')).toMatch(/¶2 · Why they huddle/);
    expect(field('People')).toMatch(/Anna Holm/);
    expect(field('Try')).toMatch(/^`\/ask question: .+\?`$/);
    expect(savedFiles(guildA)).toEqual(['penguins-of-the-ross-sea.md']);
    expect(fake.downloads.at(-1)?.aborted).toBe(false);
    expect(lines.find((line) => line['change'] === 'added')).toMatchObject({
      userId: moderator.id,
      guildId: guildA,
      readingId: 'penguins-of-the-ross-sea',
    });
    expect(lines.find((line) => line['change'] === 'added')?.['bytes']).toBeGreaterThan(PENGUINS.length);
  });

  it('the example question on the card is answered from the new reading', async () => {
    const card = fake.originalResponse(fake.requests.find((r) => r.method === 'PATCH')?.interactionId ?? '')?.embeds[0] as Embed;
    const example = /question: (.+)`$/.exec(card.fields?.find((f) => f.name === 'Try')?.value ?? '')?.[1] ?? '';
    expect(example).not.toBe('');
    expect((await ask(example.replace(/\\(.)/g, '$1'), guildA))?.title).toMatch(PENGUIN_ANSWER);
  });

  it('/ask in that server finds the reading, attributed', async () => {
    const embed = await ask(PENGUIN_QUESTION, guildA);
    // One attribution line: title, section, paragraph.
    expect(embed?.title).toMatch(PENGUIN_ANSWER);
  });

  it('and still answers from the bot’s own corpus there', async () => {
    expect((await ask('Who signed the lithium agreement in Oslo?', guildA))?.title).toMatch(/Norway and Chile/);
  });

  it('/who-is, /article, autocomplete and buttons in that server see it too', async () => {
    const whoIs = await reply(send(slashCommand('who-is', [{ name: 'name', value: 'Anna Holm' }]), { guildId: guildA }));
    expect(whoIs.data?.embeds?.[0]?.title).toBe('Anna Holm');
    const choices = await reply(send(autocomplete('ask', [{ name: 'article', value: 'pengu' }]), { guildId: guildA }));
    expect(choices.data?.choices?.map((c) => c.value)).toEqual(['penguins-of-the-ross-sea']);
    const list = await reply(send(slashCommand('article'), { guildId: guildA }));
    expect(list.data?.embeds?.[0]?.description).toMatch(/Penguins of the Ross Sea/);
  });

  it('/reading list shows the server’s readings, privately', async () => {
    const body = await reply(send(subcommand('reading', 'list'), { guildId: guildA }));
    expect(body.data?.flags).toBe(EPHEMERAL);
    expect(body.data?.embeds?.[0]?.title).toBe("This server's readings (1 of 50)");
    expect(body.data?.embeds?.[0]?.description).toMatch(/Penguins of the Ross Sea.*penguins-of-the-ross-sea.*2 ¶/);
  });

  it('a reply that comes late is deferred privately too, as every /reading reply is private', async () => {
    const late = send(subcommand('reading', 'list'), { guildId: guildA, ageMs: 1500 });
    const first = await callback(late);
    expect(first.type).toBe(5);
    expect(first.data?.flags).toBe(EPHEMERAL);
    expect((await settled(late)).embeds[0]?.title).toMatch(/This server's readings/);
  });

  describe('another server', () => {
    it('sees nothing of it: answers, autocomplete, /who-is, /article, /reading list', async () => {
      const embed = await ask(PENGUIN_QUESTION, guildB);
      expect(embed?.title).toBe("The article doesn't say");
      expect(JSON.stringify(embed)).not.toMatch(/Penguin|Ross Sea|Holm/);
      const choices = await reply(send(autocomplete('ask', [{ name: 'article', value: 'pengu' }]), { guildId: guildB }));
      expect(choices.data?.choices).toEqual([]);
      const whoIs = await reply(send(slashCommand('who-is', [{ name: 'name', value: 'Anna Holm' }]), { guildId: guildB }));
      expect(whoIs.data?.embeds?.[0]?.title).toBe('Not mentioned');
      expect(whoIs.data?.embeds?.[0]?.description).not.toMatch(/•.*Holm/);
      const list = await reply(send(subcommand('reading', 'list'), { guildId: guildB }));
      expect(list.data?.embeds?.[0]?.title).toBe("This server's readings (0 of 50)");
      const byId = await callback(
        send(slashCommand('article', [{ name: 'article', value: 'penguins-of-the-ross-sea' }]), { guildId: guildB }),
      );
      expect(JSON.stringify(byId.data)).not.toMatch(/Paragraphs|Ross Sea/);
    });

    it('cannot reach it with a forged button or a remove', async () => {
      const more = await callback(
        send(buttonClick(`more:${moderator.id}:penguins-of-the-ross-sea#2.0`, { content: 'x', embeds: [] }), { guildId: guildB }),
      );
      expect(JSON.stringify(more.data)).not.toMatch(/huddle/);
      const remove = send(buttonClick(`reading-remove:${moderator.id}:penguins-of-the-ross-sea`, { content: '', embeds: [] }), {
        guildId: guildB,
      });
      await callback(remove);
      await readings.settled();
      expect(savedFiles(guildA)).toEqual(['penguins-of-the-ross-sea.md']);
      const removeChoices = await callback(
        send(subcommandAutocomplete('reading', 'remove', [{ name: 'article', value: 'p' }]), { guildId: guildB }),
      );
      expect(removeChoices.data?.choices).toEqual([]);
    });

    it('and DMs see only the bot’s corpus', async () => {
      expect((await ask(PENGUIN_QUESTION, null))?.title).toBe("The article doesn't say");
      const body = await reply(send(subcommand('reading', 'list'), { guildId: null }));
      expect(body.data?.embeds?.[0]?.description).toMatch(/belong to a server/);
    });
  });

  it('refuses a member without Manage Server, and saves nothing', async () => {
    const attachment = fake.serveAttachment('other.txt', 'Other title\n\nSome text about glaciers.');
    const downloads = fake.downloads.length;
    for (const init of [
      subcommand('reading', 'add', [attachmentOption('file', attachment)]),
      subcommand('reading', 'add'),
      subcommand('reading', 'remove', [{ name: 'article', value: 'penguins-of-the-ross-sea' }]),
    ]) {
      const body = await reply(send(init, { guildId: guildA, permissions: MEMBER }));
      expect(body.type).toBe(4);
      expect(body.data?.flags).toBe(EPHEMERAL);
      expect(body.data?.embeds?.[0]?.description).toMatch(/Manage Server/);
    }
    const form = await callback(
      send(modalSubmit('reading-form', { title: 'Sneaky', text: 'Text.' }), { guildId: guildA, permissions: MEMBER }),
    );
    expect(form.data?.embeds?.[0]?.description).toMatch(/Manage Server/);
    expect(fake.downloads.length).toBe(downloads);
    expect(savedFiles(guildA)).toEqual(['penguins-of-the-ross-sea.md']);
  });

  it('registers /reading for Manage Server only, in servers only', () => {
    // The definition as deploy-commands sends it.
    const definition = [...readingsCommandDefinitions()].find((d) => d['name'] === 'reading');
    expect(definition?.['default_member_permissions']).toBe('32');
    expect(definition?.['contexts']).toEqual([0]);
  });

  describe('each refusal names its limit and changes nothing', () => {
    async function refusal(filename: string, data: Buffer | string, serving = {}): Promise<string> {
      const before = savedFiles(guildA);
      const { interaction, first } = await addFile(filename, data, serving);
      expect(first.type).toBe(5);
      const { embeds, flags } = await settled(interaction);
      expect(flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(savedFiles(guildA)).toEqual(before);
      return embeds[0]?.description ?? '';
    }

    it('a file Discord says is too large, without downloading it', async () => {
      const downloads = fake.downloads.length;
      expect(await refusal('big.txt', 'x', { claimedSize: MAX_BYTES + 1 })).toMatch(/at most 4 KB \(READING_MAX_BYTES\)/);
      expect(fake.downloads.length).toBe(downloads);
    });

    it('a file larger than it claims, cut off while streaming', async () => {
      const text = `Big\n\n${'word '.repeat(MAX_BYTES)}`;
      expect(await refusal('big.txt', text, { claimedSize: 100 })).toMatch(/READING_MAX_BYTES/);
    });

    it('a binary file', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe]);
      expect(await refusal('picture.md', png)).toMatch(/not UTF-8 text|looks binary/);
    });

    it('malformed front matter, with the parser’s words and line', async () => {
      expect(await refusal('broken.md', '---\ntitle: [unclosed\n---\n\nA paragraph.\n')).toMatch(/front matter is not valid YAML.*line 2/);
    });

    it('a download that stalls', async () => {
      const description = await refusal('slow.txt', PENGUINS, { stallAfterBytes: 10 });
      expect(description).toMatch(/longer than 2 s \(READING_DOWNLOAD_TIMEOUT_MS\)/);
      await expect.poll(() => fake.downloads.at(-1)?.aborted).toBe(true);
    });

    it('a file that is not .md or .txt', async () => {
      expect(await refusal('slides.pdf', 'Title\n\nText')).toMatch(/\.md.*\.txt/);
    });

    it('an attachment from anywhere but the attachment host', async () => {
      const interaction = send(
        subcommand('reading', 'add', [
          attachmentOption('file', { id: snowflake(), filename: 'x.txt', size: 10, url: 'http://169.254.169.254/latest/x.txt' }),
        ]),
        { guildId: guildA },
      );
      await callback(interaction);
      expect((await settled(interaction)).embeds[0]?.description).toMatch(/only from Discord’s own attachment hosts/);
    });
  });

  it('adds a pasted reading through the form, and a second with the same title gets a new id', async () => {
    const opened = await callback(send(subcommand('reading', 'add'), { guildId: guildB }));
    expect(opened.type).toBe(9);
    expect(opened.data?.custom_id).toBe('reading-form');
    const fields = {
      title: 'Glacier Notes',
      source: 'Field Journal',
      url: 'https://example.org/glaciers',
      text: 'The Rhone Glacier lost two metres of ice last summer, according to geologist Lena Frei.',
    };
    for (const [i, expected] of ['glacier-notes', 'glacier-notes-2'].entries()) {
      const interaction = send(modalSubmit('reading-form', fields), { guildId: guildB });
      expect((await callback(interaction)).type).toBe(5);
      const card = (await settled(interaction)).embeds[0];
      expect(card?.footer?.text).toMatch(new RegExp(`^id: ${expected} · ${i + 1} of 50`));
      if (i === 1) expect(card?.description).toMatch(/already had a reading `glacier-notes`/);
    }
    expect(savedFiles(guildB)).toEqual(['glacier-notes-2.md', 'glacier-notes.md']);
    expect((await ask('How much ice did the Rhone Glacier lose?', guildB))?.title).toMatch(/^Glacier Notes · /);
    expect((await ask('How much ice did the Rhone Glacier lose?', guildA))?.title).toBe("The article doesn't say");
  });

  it('keeps the readings across a restart', async () => {
    await bot.stop();
    await readings.close();
    await startBot();
    expect((await ask(PENGUIN_QUESTION, guildA))?.title).toMatch(PENGUIN_ANSWER);
    expect((await ask('How much ice did the Rhone Glacier lose?', guildB))?.title).toMatch(/^Glacier Notes · /);
  });

  it('removes a reading after confirmation; then it is gone', async () => {
    const choices = await callback(
      send(subcommandAutocomplete('reading', 'remove', [{ name: 'article', value: 'pengu' }]), { guildId: guildA }),
    );
    expect(choices.data?.choices).toEqual([{ name: 'Penguins of the Ross Sea', value: 'penguins-of-the-ross-sea' }]);
    const asked = send(subcommand('reading', 'remove', [{ name: 'article', value: 'penguins-of-the-ross-sea' }]), { guildId: guildA });
    const confirmation = await reply(asked);
    expect(confirmation.data?.flags).toBe(EPHEMERAL);
    const buttons = confirmation.data?.components?.flatMap((row) => row.components) ?? [];
    expect(buttons.map((b) => b.label)).toEqual(['Remove', 'Keep it']);
    const message = fake.originalResponse(asked.id) as unknown as RawObject;
    // Someone else pressing it is refused.
    const other = await reply(send(buttonClick(buttons[0]?.custom_id ?? '', message), { guildId: guildA, user: { id: snowflake() } }));
    expect(other.data?.embeds?.[0]?.description).toMatch(/Only the member who asked/);
    expect(savedFiles(guildA)).toEqual(['penguins-of-the-ross-sea.md']);

    const pressed = send(buttonClick(buttons[0]?.custom_id ?? '', message), { guildId: guildA });
    expect((await callback(pressed)).type).toBe(6);
    const after = await settled(pressed);
    expect(after.embeds[0]?.description).toMatch(/Removed \*\*Penguins of the Ross Sea\*\*/);
    expect(after.components).toEqual([]);
    expect(savedFiles(guildA)).toEqual([]);
    expect((await ask(PENGUIN_QUESTION, guildA))?.title).toBe("The article doesn't say");
    const list = await reply(send(subcommand('reading', 'list'), { guildId: guildA }));
    expect(list.data?.embeds?.[0]?.title).toBe("This server's readings (0 of 50)");
    expect(lines.find((line) => line['change'] === 'removed')).toMatchObject({
      userId: moderator.id,
      guildId: guildA,
      readingId: 'penguins-of-the-ross-sea',
    });
  });
});

import { loadCommands } from '../../commands/index.js';
function readingsCommandDefinitions(): RawObject[] {
  return [...loadCommands().values()].map((command) => command.data as unknown as RawObject);
}
