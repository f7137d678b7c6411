/**
 * Links Discord refuses. An article whose `url` is not http(s) made every reply about it fail with
 * 400 (the fake refuses such embeds as Discord does), so users only ever saw the apology. The
 * corpus check refuses such a url with its file and line; the payload builder drops any that still
 * reaches it (an article built by code, an old cache), so the answer goes out without the link.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { Router } from '../../src/bot/router.js';
import { parseArticle } from '../../src/corpus/parse.js';
import type { GatewayBot } from '../../src/discord/bot.js';
import { libraryFrom } from '../../src/library.js';
import { SearchEngine } from '../../src/search/engine.js';
import { captureLogger, startTestBot } from '../support/bot.js';
import { slashCommand, startFakeDiscord, type FakeDiscord } from '../support/fakeDiscord.js';

const article = (url: string): string =>
  `---\ntitle: Lighthouses\nsource: Coast Weekly\nurl: ${url}\n---\n\nThe lighthouse keeper climbed the tower at dusk to light the lamp.\n`;

describe('an article url that is not http(s)', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'links-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it.each(['ftp://example.com/story', 'javascript:alert(1)', 'data:text/html,hi', 'mailto:desk@example.com'])(
    'is refused by the corpus check with its file and line (%s)',
    async (url) => {
      const dir = await mkdtemp(path.join(scratch, 'corpus-'));
      await writeFile(path.join(dir, 'lighthouses.md'), article(url));
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/check-corpus.ts', dir], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(
        `${path.join(dir, 'lighthouses.md')}:4: front matter 'url' must be a URL starting with http:// or https://`,
      );
    },
    30_000,
  );

  it('is accepted when it is http or https', () => {
    expect(parseArticle('a.md', article('https://example.com/story')).url).toBe('https://example.com/story');
    expect(parseArticle('a.md', article('http://example.com/story')).url).toBe('http://example.com/story');
  });
});

describe('a reply about an article whose url slipped past the check', () => {
  let fake: FakeDiscord;
  let bot: GatewayBot;
  const { logger, lines } = captureLogger();

  beforeAll(async () => {
    const parsed = parseArticle('lighthouses.md', article('https://example.com/story'));
    const library = libraryFrom(SearchEngine.build([{ ...parsed, url: 'javascript:alert(1)' }]));
    const router = new Router(loadCommands(), COMPONENTS, { library: () => library, logger }, new Cooldown(1000, 10_000));
    fake = await startFakeDiscord();
    bot = await startTestBot(fake.apiBase, router, logger);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it.each(['ask', 'article'])('goes out without the link (/%s)', async (command) => {
    const options = command === 'ask' ? [{ name: 'question', value: 'Why did the lighthouse keeper climb the tower?' }] : [];
    const interaction = fake.dispatchInteraction(slashCommand(command, options));
    await fake.waitForCallback(interaction.id, 10_000);
    const sent = fake.originalResponse(interaction.id);
    expect(sent?.embeds.length).toBeGreaterThan(0);
    expect(JSON.stringify(sent?.embeds)).toMatch(command === 'ask' ? /lighthouse keeper climbed/ : /Lighthouses/);
    expect(JSON.stringify(sent?.embeds)).not.toMatch(/javascript:/);
    expect(lines.filter((line) => line['level'] === 50)).toEqual([]);
  });
});
