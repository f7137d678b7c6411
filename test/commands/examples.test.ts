/**
 * The examples users see come from the corpus: over an article about something else entirely, no
 * command, card or greeting may suggest anything from the project's seed article.
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../commands/index.js';
import { COMPONENTS } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { Router } from '../../src/bot/router.js';
import type { CommandRequest, OptionValue } from '../../src/bot/types.js';
import { runConsole } from '../../src/cli/console.js';
import { openLibrary, type Library } from '../../src/library.js';
import type { MessagePayload, Response } from '../../src/reply/types.js';
import { FIXTURE_CORPUS } from '../support/fixtures.js';

/** test/fixtures/corpus-other holds one article, with headings and names but no `examples:` list. */
const CORPUS = 'test/fixtures/corpus-other';
const SEED_WORDS = /Russia|North Korea|Shoigu|Putin|Kim\b|juche/;

const request = (commandName: string, options: Record<string, OptionValue> = {}): CommandRequest => ({
  commandName,
  user: { id: '1', name: 'asker' },
  guildId: null,
  options: new Map(Object.entries(options)),
});
const text = (response: Response): string => {
  if (response.kind !== 'reply' && response.kind !== 'update') throw new Error('expected a payload');
  const payload: MessagePayload = response.payload;
  return JSON.stringify(payload.embeds);
};

describe('examples over another corpus', () => {
  let library: Library;
  let router: Router;
  beforeAll(async () => {
    library = await openLibrary(CORPUS);
    router = new Router(loadCommands(), COMPONENTS, { library: () => library, logger: pino({ level: 'silent' }) }, new Cooldown(100, 1000));
  });

  it('derives a question from the first heading and a name from the people it mentions', () => {
    expect(library.examples()).toEqual({ question: 'Who Pays for the Mines?', name: 'Erik Larsen', paragraph: 3 });
  });

  it('/help shows them and nothing of the seed article', () => {
    const help = text(router.command(request('help')));
    expect(help).toContain('/ask question: Who Pays for the Mines?');
    expect(help).toContain('/who-is name: Erik Larsen');
    expect(help).not.toMatch(SEED_WORDS);
  });

  it('the article card shows them', () => {
    const card = text(router.command(request('article')));
    expect(card).toContain('/ask question: Who Pays for the Mines?');
    expect(card).toContain('/who-is name: Erik Larsen');
    expect(card).not.toMatch(SEED_WORDS);
  });

  it('the reply to an empty question suggests one about this article', () => {
    const reply = text(router.command(request('ask', { question: '  ' })));
    expect(reply).toContain('/ask question: Who Pays for the Mines?');
    expect(reply).not.toMatch(SEED_WORDS);
  });

  it('the console greets with one', () => {
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const input = new PassThrough();
    const rl = runConsole(router, input, output, false);
    rl.close();
    expect(shown).toContain('e.g. /ask Who Pays for the Mines?');
    expect(shown).not.toMatch(SEED_WORDS);
  });
});

describe('examples from front matter', () => {
  it('come first when the article lists them', async () => {
    const library = await openLibrary(FIXTURE_CORPUS);
    const listed = library.articles[0]?.examples[0];
    expect(listed).toBeDefined();
    expect(library.examples().question).toBe(listed);
  });
});
