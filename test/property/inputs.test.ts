/**
 * Property tests over every free-text input the bot takes: each command's options, the message a
 * "Find in article" is used on, button custom ids and autocomplete. Whatever is typed, the reply is
 * one Discord accepts, pings nobody, echoes nothing live, and comes quickly.
 *
 * The seed is fixed so a failure reproduces; fast-check prints the shrunk counterexample.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMPONENTS } from '../../src/bot/components.js';
import { Cooldown } from '../../src/bot/cooldown.js';
import { APOLOGY, Router } from '../../src/bot/router.js';
import type { CommandRequest, ComponentRequest, OptionValue, UserRef } from '../../src/bot/types.js';
import { loadCommands } from '../../commands/index.js';
import { openLibrary, type Library } from '../../src/library.js';
import type { MessagePayload, Response } from '../../src/reply/types.js';
import { prepareEnglish } from '../../src/search/english.js';
import { STOP_WORDS } from '../../src/search/stopwords.js';
import { captureLogger, corpusLibrary, readingsRouter, testRouter } from '../support/bot.js';
import { addedReply, refusalReply } from '../../src/bot/readings.js';
import type { ServerReadings } from '../../src/readings/servers.js';
import { assertChoicesWithinLimits, assertPingsNobody, assertWithinDiscordLimits } from '../support/limits.js';

const RUNS = { seed: 20261129, numRuns: 1000 } as const;
/** Per call, far above the few milliseconds an answer takes: only a pathological blow-up trips it. */
const MAX_CALL_MS = 500;

// ---------------------------------------------------------------------------------------------
// Inputs

const snowflake = fc.bigInt({ min: 10n ** 16n, max: 2n ** 63n - 1n }).map(String);

const MENTIONS = [
  '@everyone',
  '@here',
  '@everyone@here',
  '@EVERYONE',
  '@\u200beveryone',
  '＠everyone',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&123456789012345678>',
  '<#123456789012345678>',
  '<<@123456789012345678>>',
  '\\<@123456789012345678>',
  '<@\\123456789012345678>',
  '`@everyone`',
  '</ask:123456789012345678>',
  '<t:1700000000:R>',
  '<:kim:123456789012345678>',
  '<a:putin:123456789012345678>',
  '<id:customize>',
];
const MARKDOWN = [
  '**bold**',
  '*it*',
  '__under__',
  '~~gone~~',
  '||spoiler||',
  '`code`',
  '```js\nconsole.log(1)\n```',
  '```\n@everyone\n```',
  '```',
  '> quoted',
  '>>> all quoted',
  '# Heading',
  '-# small',
  '- item\n- item',
  '1. one',
  '\\',
  '\\\\*',
  '***',
  '\n\n\n\n\n',
];
const LINKS = [
  'https://example.com/a?b=c#d',
  '<https://example.com>',
  '[click me](https://evil.example/steal)',
  '[https://discord.com](https://evil.example)',
  'discord.gg/abcdef',
  'https://discord.com/invite/abcdef',
  'javascript:alert(1)',
  '[](https://x.y)',
  'www.example.com',
];
const REGEX = [
  '.*',
  '.+?',
  '(a+)+$',
  '[^]',
  '\\b\\d+\\b',
  '^$',
  '(?=x)',
  '$&',
  '$1',
  '{0,}',
  '|||',
  '[[[',
  ')))',
  '\\u0000',
  '\\',
  '*+?^${}()|[]\\/',
];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🧑🏿‍🚀', '🇺🇸', '🇰🇵🇷🇺', '🇺', '1️⃣', '#️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '\u{1F600}\u{FE0F}', '❤️‍🔥'];
const RTL = [
  'ماذا تريد روسيا من كوريا الشمالية؟',
  'מה רוסיה רוצה מצפון קוריאה?',
  'کیم جونگ اون',
  '\u202eRussia\u202c',
  '\u202bשלום Putin\u202c',
  '\u2067كيم\u2069 Kim',
  '\u200fמי\u200e Shoigu',
  '\u061c',
];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u034f', '\u180e', '\u2028', '\u2029', '\u3164', '\u115f'];
const CONTROL = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 33 }, (_, i) => String.fromCharCode(0x7f + i)),
];
const SPACES = [' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\u3000', '\u205f', '\u1680'];
const PUNCTUATION = [
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '…',
  '—',
  '–',
  '«',
  '»',
  '¿',
  '¡',
  '“',
  '”',
  '‘',
  '’',
  '·',
  '¶',
  '§',
  '†',
  '‽',
];
const STOPS = [...STOP_WORDS];

/** Words of the corpus, misspelled: stresses the typo-tolerant matching of search and /who-is. */
function typoWords(vocabulary: readonly string[]): fc.Arbitrary<string> {
  const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
  return fc
    .tuple(fc.constantFrom(...vocabulary), fc.nat(), fc.constantFrom('sub', 'del', 'ins', 'swap', 'double'), letter)
    .map(([word, at, edit, ch]) => {
      const i = at % word.length;
      if (edit === 'sub') return word.slice(0, i) + ch + word.slice(i + 1);
      if (edit === 'del') return word.slice(0, i) + word.slice(i + 1);
      if (edit === 'ins') return word.slice(0, i) + ch + word.slice(i);
      if (edit === 'double') return word.slice(0, i) + (word[i] ?? '') + word.slice(i);
      return word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2);
    });
}

/** Joins fragments with the separators people (and fuzzers) use. */
const joined = (parts: fc.Arbitrary<string[]>): fc.Arbitrary<string> =>
  fc.tuple(parts, fc.constantFrom(' ', '', '\n', ' ', ', ')).map(([list, separator]) => list.join(separator));

/**
 * Everything a user might type: arbitrary Unicode (short, medium and up to 6,000+ characters) and a
 * weighted mix of the inputs that break text handling, alone and mixed into real questions.
 */
function textInputs(vocabulary: readonly string[], questions: readonly string[]): fc.Arbitrary<string> {
  const fragment = fc.oneof(
    fc.constantFrom(...MENTIONS),
    fc.tuple(fc.constantFrom('<@', '<@!', '<@&', '<#'), snowflake).map(([open, id]) => `${open}${id}>`),
    fc.constantFrom(...MARKDOWN),
    fc.constantFrom(...LINKS),
    fc.constantFrom(...REGEX),
    fc.constantFrom(...EMOJI),
    fc.constantFrom(...RTL),
    fc.constantFrom(...INVISIBLE, ...CONTROL),
    fc.constantFrom(...STOPS),
    fc.constantFrom(...vocabulary),
    typoWords(vocabulary),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
  const typos = typoWords(vocabulary);
  const spliced = fc
    .tuple(fc.constantFrom(...questions), fc.array(fc.tuple(fc.nat(), fragment), { minLength: 1, maxLength: 5 }))
    .map(([question, inserts]) => {
      const words = question.split(' ');
      for (const [at, piece] of inserts) words.splice(at % (words.length + 1), 0, piece);
      return words.join(' ');
    });
  return fc.oneof(
    // Arbitrary Unicode: mostly short, some around Discord's option lengths, a few far beyond.
    { weight: 12, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120, size: 'medium' }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 90, maxLength: 600, size: 'max' }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1000, maxLength: 6500, size: 'max' }) },
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...SPACES), minLength: 1, maxLength: 40 }) },
    { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...PUNCTUATION), minLength: 1, maxLength: 60 }) },
    { weight: 3, arbitrary: joined(fc.array(fc.constantFrom(...STOPS), { minLength: 1, maxLength: 40 })) },
    { weight: 3, arbitrary: joined(fc.array(fc.constantFrom(...EMOJI), { minLength: 1, maxLength: 30 })) },
    { weight: 3, arbitrary: joined(fc.array(fc.constantFrom(...RTL, ...vocabulary), { minLength: 1, maxLength: 12 })) },
    { weight: 3, arbitrary: joined(fc.array(fc.constantFrom(...INVISIBLE, ...CONTROL, ...vocabulary), { minLength: 1, maxLength: 30 })) },
    { weight: 3, arbitrary: joined(fc.array(fc.constantFrom(...MARKDOWN, ...LINKS, ...vocabulary), { minLength: 1, maxLength: 12 })) },
    { weight: 4, arbitrary: joined(fc.array(fc.oneof(fc.constantFrom(...MENTIONS), fragment), { minLength: 1, maxLength: 12 })) },
    { weight: 2, arbitrary: joined(fc.array(fc.constantFrom(...REGEX), { minLength: 1, maxLength: 20 })) },
    // Very long single words, plain and made of corpus words glued together.
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...'akx'), fc.integer({ min: 40, max: 6100 })).map(([ch, n]) => ch.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc.array(fc.constantFrom(...vocabulary), { minLength: 10, maxLength: 800, size: 'max' }).map((words) => words.join('')),
    },
    // Typo-like words, a few and repeated many times (a fuzzy matcher's worst case).
    { weight: 3, arbitrary: joined(fc.array(typos, { minLength: 1, maxLength: 12 })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.array(typos, { minLength: 1, maxLength: 8 }), fc.integer({ min: 50, max: 700 }))
        .map(([words, n]) => Array.from({ length: n }, (_, i) => words[i % words.length]).join(' ')),
    },
    // Real questions with all of the above spliced in, so answers (not only abstentions) are checked too.
    { weight: 8, arbitrary: spliced },
    { weight: 2, arbitrary: fc.constantFrom(...questions) },
  );
}

/** Paragraph numbers as Discord or a hand-written client might send them: in and out of range, odd types. */
const paragraphNumbers: fc.Arbitrary<OptionValue | undefined> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -2, max: 14 }) },
  { weight: 2, arbitrary: fc.integer() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      0,
      -0,
      -1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      2 ** 53 + 2,
      1e21,
      1e308,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
    ),
  },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.5, 1.0000001, 0.9999999) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '3',
      ' 3 ',
      '03',
      '-3',
      '+3',
      '3.0',
      '3.5',
      '1e1',
      '0x3',
      '３',
      '٣',
      '¶3',
      '#3',
      'three',
      '',
      ' ',
      '99999999999999999999999',
      '-0',
      '3\u200b',
      '\u202e3',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

// ---------------------------------------------------------------------------------------------
// Harness

/** Both corpora: the real one-article corpus, and two articles (the reading-list paths). */
let routers: Router[];
let libraries: Library[];
let vocabulary: string[];
let questions: string[];
const { logger, lines } = captureLogger();
const slowest: Record<string, number> = {};
const longest: Record<string, number> = {};
/** How many cases reached each kind of reply, so the report shows both sides of each branch were tested. */
const reached: Record<string, Record<string, number>> = {};
/** Records the longest input a property saw, so the report shows the long inputs were reached. */
const sawInput = (label: string, text: string | undefined): void => {
  longest[label] = Math.max(longest[label] ?? 0, text?.length ?? 0);
};

const errorsLogged = (): number => lines.filter((line) => typeof line['level'] === 'number' && line['level'] >= 50).length;

/** Runs one call, checks it neither threw nor logged a failure nor took too long, and records its time. */
function timed<T>(label: string, call: () => T): T {
  const errorsBefore = errorsLogged();
  const started = performance.now();
  const result = call();
  const ms = performance.now() - started;
  slowest[label] = Math.max(slowest[label] ?? 0, ms);
  expect(errorsLogged(), `a handler failed: ${JSON.stringify(lines.at(-1))}`).toBe(errorsBefore);
  expect(ms, `${label} took ${ms.toFixed(0)} ms`).toBeLessThan(MAX_CALL_MS);
  return result;
}

/** The payload of a reply or update, checked against every limit and for pings. */
function checkResponse(response: Response, allowedUser?: string): MessagePayload | null {
  if (response.kind !== 'reply' && response.kind !== 'update') return null;
  expect(response.payload, 'the handler threw and the user got the apology').not.toBe(APOLOGY);
  assertWithinDiscordLimits(response.payload);
  assertPingsNobody(response.payload, allowedUser);
  return response.payload;
}

const request = (
  commandName: string,
  user: UserRef,
  options: Record<string, OptionValue | undefined>,
  targetMessage?: CommandRequest['targetMessage'],
): CommandRequest => ({
  commandName,
  user,
  guildId: '222222222222222222',
  options: new Map(Object.entries(options).filter((entry): entry is [string, OptionValue] => entry[1] !== undefined)),
  ...(targetMessage ? { targetMessage } : {}),
});

const users = fc.record({ id: snowflake, name: fc.string({ maxLength: 32 }) });
const routerIndex = fc.constantFrom(0, 1);

/** An `article` option: absent, an id or title as autocomplete or a person would give it, or anything. */
function articleOptions(text: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  const known = fc.constantFrom(
    ...libraries.flatMap((library) =>
      library.articles.flatMap((article) => [
        article.id,
        article.title,
        article.title.toUpperCase(),
        ` ${article.title.split(' ').slice(-2).join(' ')} `,
      ]),
    ),
  );
  return fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: known }, { weight: 3, arbitrary: text });
}

beforeAll(async () => {
  // Loaded once, as the bot does after start-up: the per-call limit is for a blow-up on one input, not
  // for the word lists the first question would otherwise load (~0.3 s, seconds on a loaded machine).
  prepareEnglish();
  const noCooldown = (): Cooldown => new Cooldown(1, 0);
  const one = await corpusLibrary();
  const two = await openLibrary('test/fixtures/corpus-two');
  libraries = [one, two];
  routers = [
    await testRouter(logger, [], noCooldown()),
    new Router(loadCommands(), COMPONENTS, { library: () => two, logger }, noCooldown()),
  ];
  vocabulary = [
    ...new Set(
      libraries.flatMap((library) =>
        library.articles.flatMap((article) => article.paragraphs.flatMap((p) => p.text.toLowerCase().match(/\p{L}{4,}/gu) ?? [])),
      ),
    ),
  ];
  questions = readFileSync('test/fixtures/questions.project.jsonl', 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { q: string }).q);
  // Warm every path once so the first property's first case does not pay for JIT compilation.
  const user = { id: '111111111111111111', name: 'warm' };
  for (const router of routers) {
    router.command(request('ask', user, { question: questions[0] ?? 'juche' }));
    router.command(request('who-is', user, { name: 'shoigu' }));
    router.autocomplete(request('who-is', user, {}), { name: 'name', value: 'sho' });
  }
});

afterAll(() => {
  const report = Object.entries(slowest)
    .map(([label, ms]) => `${label} ${ms.toFixed(1)} ms`)
    .join(', ');
  process.stdout.write(`slowest single call per input: ${report}\n`);
  process.stdout.write(
    `longest input: ${Object.entries(longest)
      .map(([label, n]) => `${label} ${n}`)
      .join(', ')}\n`,
  );
  process.stdout.write(`responses reached: ${JSON.stringify(reached)}\n`);
});

// ---------------------------------------------------------------------------------------------
// Properties

describe('every free-text input', () => {
  describe('/ask', () => {
    it('answers any question within Discord limits, pinging only the mentioned member', () => {
      const outcomes = { answered: 0, abstained: 0 };
      reached['/ask'] = outcomes;
      const text = textInputs(vocabulary, questions);
      fc.assert(
        fc.property(
          routerIndex,
          users,
          text,
          articleOptions(text),
          fc.option(fc.boolean(), { nil: undefined }),
          fc.option(fc.record({ id: snowflake, name: fc.string({ maxLength: 32 }) }), { nil: undefined }),
          (which, user, question, article, hide, mention) => {
            sawInput('/ask', question);
            const response = timed('/ask', () => routers[which]!.command(request('ask', user, { question, article, hide, mention })));
            const pinged = mention !== undefined && hide !== true ? mention.id : undefined;
            const payload = checkResponse(response, pinged);
            expect(response.kind).toBe('reply');
            if (response.kind === 'reply' && response.outcome) outcomes[response.outcome.abstained ? 'abstained' : 'answered'] += 1;
            // The one ping there is, is the member asked for, at the start, and let through.
            if (pinged !== undefined && payload?.content?.startsWith('<@')) expect(payload.allowed_mentions.users).toEqual([pinged]);
          },
        ),
        RUNS,
      );
      // The inputs reach both kinds of reply, so both are held to the limits.
      expect(outcomes.answered).toBeGreaterThan(RUNS.numRuns / 10);
      expect(outcomes.abstained).toBeGreaterThan(RUNS.numRuns / 10);
    });
  });

  describe('/who-is', () => {
    it('answers any name within Discord limits and pings nobody', () => {
      fc.assert(
        fc.property(routerIndex, users, textInputs(vocabulary, questions), (which, user, name) => {
          sawInput('/who-is', name);
          checkResponse(timed('/who-is', () => routers[which]!.command(request('who-is', user, { name }))));
        }),
        RUNS,
      );
    });
  });

  describe('/passage', () => {
    it('quotes or refuses any number and article within Discord limits', () => {
      fc.assert(
        fc.property(
          routerIndex,
          users,
          paragraphNumbers,
          articleOptions(textInputs(vocabulary, questions)),
          (which, user, number, article) => {
            checkResponse(timed('/passage', () => routers[which]!.command(request('passage', user, { number, article }))));
          },
        ),
        RUNS,
      );
    });

    it('quotes exactly the paragraph asked for when the number is in range', () => {
      fc.assert(
        fc.property(routerIndex, users, fc.nat(), (which, user, pick) => {
          const library = libraries[which]!;
          const article = library.articles[pick % library.articles.length]!;
          const number = (pick % article.paragraphs.length) + 1;
          const payload = checkResponse(
            timed('/passage in range', () => routers[which]!.command(request('passage', user, { number, article: article.id }))),
          );
          expect(payload?.embeds[0]?.footer?.text).toBe(`¶${number} of ${article.paragraphs.length}`);
          expect(payload?.embeds[0]?.title).toMatch(new RegExp(`· ¶${number}$`));
        }),
        RUNS,
      );
    });
  });

  describe('/article', () => {
    it('shows or refuses any article name within Discord limits', () => {
      fc.assert(
        fc.property(routerIndex, users, articleOptions(textInputs(vocabulary, questions)), (which, user, article) => {
          checkResponse(timed('/article', () => routers[which]!.command(request('article', user, { article }))));
        }),
        RUNS,
      );
    });
  });

  describe('/quiz', () => {
    it('starts or refuses a quiz for any article name and number of questions, within Discord limits', () => {
      const questionsOption = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constant(undefined), fc.constantFrom('3', 'ten', ''));
      fc.assert(
        fc.property(
          routerIndex,
          users,
          articleOptions(textInputs(vocabulary, questions)),
          questionsOption,
          (which, user, article, count) => {
            const payload = checkResponse(
              timed('/quiz', () => routers[which]!.command(request('quiz', user, { article, questions: count }))),
            );
            const options = (payload?.components[0]?.components ?? []).flatMap((c) => ('label' in c && c.label ? [c.label] : []));
            if (options.length > 0) expect(new Set(options).size).toBe(4);
          },
        ),
        RUNS,
      );
    });
  });

  describe('/map', () => {
    it('defers a picture or refuses, for any article name, within Discord limits', () => {
      fc.assert(
        fc.property(routerIndex, users, articleOptions(textInputs(vocabulary, questions)), (which, user, article) => {
          const response = timed('/map', () => routers[which]!.command(request('map', user, { article })));
          if (response.kind === 'defer') expect(response.ephemeral).toBe(false);
          else checkResponse(response);
        }),
        RUNS,
      );
    });
  });

  describe('Find in article', () => {
    it('answers any message, up to 6,000+ characters, within Discord limits', () => {
      const text = textInputs(vocabulary, questions);
      const content = fc.oneof(
        { weight: 6, arbitrary: text },
        // Long discussion posts: several inputs in a row, past Discord's 4,000-character message limit.
        { weight: 1, arbitrary: fc.array(text, { minLength: 5, maxLength: 40 }).map((parts) => parts.join('\n\n').slice(0, 6500)) },
      );
      fc.assert(
        fc.property(routerIndex, users, fc.option(content, { nil: undefined, freq: 20 }), snowflake, (which, user, message, authorId) => {
          const target = message === undefined ? undefined : { id: '333333333333333333', content: message, authorId };
          sawInput('Find in article', message);
          checkResponse(timed('Find in article', () => routers[which]!.command(request('Find in article', user, {}, target))));
        }),
        RUNS,
      );
    });
  });

  describe('buttons', () => {
    /** Messages a button can be on: the bot's own answers, an abstention, and an empty one. */
    let messages: { content: string; embeds: MessagePayload['embeds'] }[];
    beforeAll(() => {
      const asker = { id: '111111111111111111', name: 'asker' };
      messages = [
        ...[
          'joint military exercises',
          'What is juche?',
          'What is the capital of France?',
          '@everyone <@&123456789012345678> why?',
        ].flatMap((question) =>
          routers.map((router) => {
            const response = router.command(request('ask', asker, { question, mention: { id: '123456789012345678', name: 'them' } }));
            if (response.kind !== 'reply') throw new Error('expected a reply');
            return { content: response.payload.content ?? '', embeds: response.payload.embeds };
          }),
        ),
        { content: '', embeds: [] },
      ];
    });

    it('handles any custom id, from anyone, within Discord limits', () => {
      const kinds = { reply: 0, update: 0, delete: 0, deferred: 0 };
      reached['button'] = kinds;
      const text = textInputs(vocabulary, questions);
      const articleIds = [...new Set(libraries.flatMap((library) => library.articles.map((article) => article.id)))];
      const ref = fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(
              fc.oneof(
                { weight: 3, arbitrary: fc.constantFrom(...articleIds) },
                { weight: 1, arbitrary: fc.constantFrom('', 'gone', '#', '../..', '__proto__', 'constructor') },
              ),
              fc.oneof(
                { weight: 4, arbitrary: fc.integer({ min: -1, max: 14 }) },
                { weight: 1, arbitrary: fc.integer() },
                { weight: 1, arbitrary: fc.constantFrom(2 ** 53, 1e21, Number.MAX_VALUE) },
              ),
              fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -1, max: 9 }) }, { weight: 1, arbitrary: fc.nat() }),
            )
            .map(([id, paragraph, sentence]) => `${id}#${paragraph}.${sentence}`),
        },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
      );
      const validRef = fc.constantFrom(
        ...libraries[0]!.articles.flatMap((article) =>
          article.paragraphs.flatMap((p) => p.sentences.map((sentence) => `${article.id}#${p.number}.${sentence.index}`)),
        ),
      );
      fc.assert(
        fc.property(
          routerIndex,
          users,
          fc.nat(),
          fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
          fc.oneof(
            { weight: 2, arbitrary: text },
            { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
            {
              weight: 3,
              arbitrary: fc
                .tuple(fc.constantFrom('more:', 'delete:', 'more', 'delete', 'more::', 'delete::', 'MORE:'), text)
                .map(([prefix, rest]) => prefix + rest),
            },
            // The Delete button's own id (src/reply/buttons.ts reads nothing after the owner as a delete).
            { weight: 4, arbitrary: fc.constant('delete:OWNER') },
            // Real passage references with garbage among them: the "More passages" path itself.
            {
              weight: 4,
              arbitrary: fc
                .array(fc.oneof({ weight: 2, arbitrary: validRef }, { weight: 1, arbitrary: ref }), { minLength: 1, maxLength: 12 })
                .map((refs) => `more:OWNER:${refs.join(';')}`),
            },
            {
              weight: 10,
              arbitrary: fc
                .tuple(
                  fc.constantFrom('more', 'more', 'delete'),
                  fc.array(ref, { minLength: 0, maxLength: 30 }),
                  fc.constantFrom(';', ':', ';;', ''),
                )
                .map(([prefix, refs, separator]) => `${prefix}:OWNER:${refs.join(separator)}`),
            },
          ),
          (which, user, pick, asOwner, id) => {
            // Most presses are by the asker (whose id the button carries), so the passage references are parsed.
            const customId = id.replaceAll('OWNER', asOwner ? user.id : '1');
            const message = messages[pick % messages.length]!;
            const press: ComponentRequest = { customId, user, message };
            // An update sends the message again as it was, with the member it was pointed at (edits ping nobody).
            const pointedAt = /^<@(\d+)>/.exec(message.content)?.[1];
            const response = timed('button', () => routers[which]!.component(press));
            checkResponse(response, pointedAt);
            if (response.kind === 'reply' || response.kind === 'update' || response.kind === 'delete') kinds[response.kind] += 1;
            if (response.kind === 'update') expect(response.payload.allowed_mentions.users ?? []).toEqual([]);
          },
        ),
        RUNS,
      );
      // Refusals, "More passages" shown and deletions were all reached.
      expect(kinds.update).toBeGreaterThan(RUNS.numRuns / 20);
      expect(kinds.delete).toBeGreaterThan(RUNS.numRuns / 20);
      expect(kinds.reply).toBeGreaterThan(RUNS.numRuns / 20);
    });
  });

  describe('autocomplete', () => {
    /** Every autocompleting option of every command, with the type of value Discord expects back. */
    const OPTIONS = [
      { command: 'ask', option: 'article', type: 'string' },
      { command: 'who-is', option: 'name', type: 'string' },
      { command: 'passage', option: 'number', type: 'integer' },
      { command: 'passage', option: 'article', type: 'string' },
      { command: 'article', option: 'article', type: 'string' },
      { command: 'quiz', option: 'article', type: 'string' },
      { command: 'map', option: 'article', type: 'string' },
      // Options that do not autocomplete, and commands without any: an empty list, never a failure.
      { command: 'ask', option: 'question', type: 'string' },
      { command: 'help', option: 'x', type: 'string' },
      { command: 'Find in article', option: 'x', type: 'string' },
      { command: 'no-such-command', option: 'x', type: 'string' },
    ] as const;

    it('covers every option the commands declare as autocompleting', () => {
      const declared = [...loadCommands().values()].flatMap((command) =>
        'options' in command.data
          ? (command.data.options ?? [])
              .filter((option) => 'autocomplete' in option && option.autocomplete === true)
              .map((option) => `${command.data.name}.${option.name}`)
          : [],
      );
      expect(declared.sort()).toEqual(
        OPTIONS.slice(0, 7)
          .map((o) => `${o.command}.${o.option}`)
          .sort(),
      );
    });

    it('offers at most 25 choices within Discord limits, for anything typed so far', () => {
      const text = textInputs(vocabulary, questions);
      const typed = fc.oneof(
        { weight: 4, arbitrary: text },
        { weight: 1, arbitrary: fc.constantFrom('', '1', '12', '0', '-', '-1', '9', '¶', 'kim', 'sho', 'north korea') },
        { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 30 }) },
      );
      fc.assert(
        fc.property(
          routerIndex,
          users,
          fc.constantFrom(...OPTIONS),
          typed,
          articleOptions(text),
          paragraphNumbers,
          (which, user, target, value, article, number) => {
            sawInput('autocomplete', value);
            // The other options as typed so far: /passage's number choices depend on its article.
            const choices = timed('autocomplete', () =>
              routers[which]!.autocomplete(request(target.command, user, { article, number }), { name: target.option, value }),
            );
            assertChoicesWithinLimits(choices, target.type);
          },
        ),
        RUNS,
      );
    });
  });
});

describe('server readings: hostile titles and texts', () => {
  const MODERATOR = String(1n << 5n);
  const READING_RUNS = { seed: 20261201, numRuns: 120 } as const;
  let dir: string;
  let router: Router;
  let readings: ServerReadings;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'readings-property-'));
    ({ router, readings } = await readingsRouter(logger, { readingsDir: dir, limits: { perServer: 1000 } }));
  });
  afterAll(async () => {
    await readings.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Free text as long as a pasted article: one input, several as paragraphs, or 10,000+ characters. */
  const bodies = (): fc.Arbitrary<string> => {
    const text = textInputs(vocabulary, questions);
    return fc.oneof(
      { weight: 3, arbitrary: text },
      { weight: 3, arbitrary: fc.array(text, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('\n\n')) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 10_000, maxLength: 10_400 }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...MENTIONS, ...MARKDOWN), fc.integer({ min: 200, max: 1200 }))
          .map(([s, n]) => Array.from({ length: n }, () => s).join(' ')),
      },
    );
  };

  /** Whatever the reply to an add was, it is within limits and pings nobody; then the reading is asked about and listed. */
  async function check(response: Response, guildId: string, user: UserRef, outcomes: Record<string, number>): Promise<void> {
    expect(response.kind).toBe('defer');
    if (response.kind !== 'defer') return;
    const before = readings.readings(guildId).length;
    const settled = await response.result();
    const payload = checkResponse(settled);
    expect(payload?.ephemeral).toBe(true);
    const added = payload?.embeds[0]?.title?.startsWith('Added: ') === true;
    outcomes[added ? 'added' : 'refused'] = (outcomes[added ? 'added' : 'refused'] ?? 0) + 1;
    const after = readings.readings(guildId);
    expect(after.length - before).toBe(added ? 1 : 0);
    if (!added) return;
    const id = /^id: ([a-z0-9-]+)/.exec(payload?.embeds[0]?.footer?.text ?? '')?.[1];
    const reading = after.find((candidate) => candidate.id === id);
    if (!reading) throw new Error('an added reading is listed');
    const asked = { ...request('ask', user, { question: reading.title.slice(0, 500) }), guildId };
    checkResponse(router.command(asked));
    checkResponse(router.command({ ...request('reading', user, {}), guildId, subcommand: 'list' }));
    checkResponse(router.command({ ...request('article', user, { article: reading.id }), guildId }));
    const remove = { ...request('reading', user, {}), guildId, subcommand: 'remove', memberPermissions: MODERATOR };
    assertChoicesWithinLimits(router.autocomplete(remove, { name: 'article', value: reading.title }));
    checkResponse(router.command({ ...remove, options: new Map([['article', reading.id]]) }));
  }

  it('adds or refuses any form, the card or the refusal within Discord limits and pinging nobody', async () => {
    const outcomes: Record<string, number> = {};
    reached['/reading form'] = outcomes;
    const text = textInputs(vocabulary, questions);
    await fc.assert(
      fc.asyncProperty(
        snowflake,
        users,
        text,
        fc.oneof(text, fc.constant('')),
        fc.oneof(text, fc.constant(''), fc.constantFrom(...LINKS)),
        bodies(),
        async (guildId, user, title, source, url, body) => {
          sawInput('/reading form', body);
          const fields = new Map([
            ['title', title],
            ['source', source],
            ['url', url],
            ['text', body],
          ]);
          const response = router.component({
            customId: 'reading-form',
            user,
            guildId,
            memberPermissions: MODERATOR,
            message: { content: '', embeds: [] },
            fields,
          });
          await check(response, guildId, user, outcomes);
        },
      ),
      READING_RUNS,
    );
    expect(outcomes['added']).toBeGreaterThan(READING_RUNS.numRuns / 10);
    expect(outcomes['refused']).toBeGreaterThan(READING_RUNS.numRuns / 10);
  });

  // 120 readings added through the real store: 9 s on a quiet 2-core machine, twice that under load.
  it('adds or refuses any file text, .md or .txt, with or without front matter', async () => {
    const outcomes: Record<string, number> = {};
    reached['/reading file'] = outcomes;
    const text = textInputs(vocabulary, questions);
    const frontMatter = fc.oneof(
      fc.constant(''),
      text.map((title) => `---\ntitle: ${JSON.stringify(title)}\n---\n\n`),
      text.map((anything) => `---\n${anything}\n---\n\n`),
    );
    await fc.assert(
      fc.asyncProperty(
        snowflake,
        users,
        fc.constantFrom('a.md', 'b.txt', 'C.MARKDOWN'),
        frontMatter,
        text,
        bodies(),
        async (guildId, user, filename, head, title, body) => {
          sawInput('/reading file', body);
          const added = readings
            .add(guildId, { kind: 'file', filename, text: `${head}${title}\n\n${body}` }, user.id)
            .then(addedReply, refusalReply);
          await check({ kind: 'defer', ephemeral: true, result: () => added }, guildId, user, outcomes);
        },
      ),
      READING_RUNS,
    );
    expect(outcomes['added']).toBeGreaterThan(READING_RUNS.numRuns / 10);
    expect(outcomes['refused']).toBeGreaterThan(READING_RUNS.numRuns / 20);
  }, 60_000);
});
