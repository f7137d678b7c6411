import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CorpusError, parseArticle } from '../../src/corpus/parse.js';
import { loadCorpus, readArticle } from '../../src/corpus/load.js';
import { SEED_ARTICLE } from '../support/fixtures.js';

const good = `---\ntitle: A Test\nsource: The Paper\npublished: 2023-09-05\n---\n\nFirst paragraph. Two sentences.\n\n## Section One\n\nSecond paragraph.\n\nThird\nparagraph over lines.\n`;

describe('parseArticle', () => {
  it('reads front matter, sections and numbered paragraphs', () => {
    const article = parseArticle('corpus/a-test.md', good);
    expect(article).toMatchObject({ id: 'a-test', title: 'A Test', source: 'The Paper', published: '2023-09-05', url: null });
    expect(article.paragraphs.map((p) => [p.number, p.section])).toEqual([[1, null], [2, 'Section One'], [3, 'Section One']]);
    expect(article.paragraphs[2]?.text).toBe('Third paragraph over lines.');
    expect(article.sections).toEqual([{ title: 'Section One', firstParagraph: 2, lastParagraph: 3 }]);
  });

  it('reads the real article as eleven paragraphs under three sections', async () => {
    const article = parseArticle(SEED_ARTICLE, await readFile(SEED_ARTICLE, 'utf8'));
    expect(article.title).toBe("North Korea's Kim and Russia's Putin in Secret Talks");
    expect(article.paragraphs).toHaveLength(11);
    expect(article.sections.map((s) => [s.title, s.firstParagraph, s.lastParagraph])).toEqual([
      ['What Russia Wants from North Korea', 4, 5],
      ['What Kim Wants in Return', 6, 8],
      ['The Extent of Their Cooperation', 9, 11],
    ]);
  });

  it('reads example questions from the front matter, none when absent', () => {
    const article = parseArticle('x.md', `---\ntitle: T\nexamples:\n  - Who signed it?\n  - " When? "\n---\n\nBody.\n`);
    expect(article.examples).toEqual(['Who signed it?', 'When?']);
    expect(parseArticle('x.md', good).examples).toEqual([]);
  });

  it('treats a leading # heading equal to the title as the title, not a section', () => {
    const article = parseArticle('x.md', `---\ntitle: Same\n---\n\n# Same\n\nBody text.\n`);
    expect(article.paragraphs[0]?.section).toBeNull();
  });

  describe('when the file is malformed', () => {
    const cases: [string, string, RegExp][] = [
      ['no front matter', 'Just text.\n', /x\.md:1: has no front matter/],
      ['unclosed front matter', '---\ntitle: T\nBody', /front matter is not closed/],
      ['no title', '---\nsource: S\n---\n\nBody.\n', /front matter 'title'/],
      ['an empty title', '---\ntitle: "  "\n---\n\nBody.\n', /'title' must not be empty/],
      ['invalid YAML', '---\ntitle: [unclosed\n---\n\nBody.\n', /x\.md:\d+: front matter is not valid YAML/],
      ['a bad url', '---\ntitle: T\nurl: not a url\n---\n\nBody.\n', /'url' must be a URL/],
      ['examples that are not a list of questions', '---\ntitle: T\nexamples:\n  - [1, 2]\n---\n\nBody.\n', /'examples\.0' must be a list of questions/],
      ['an empty example', '---\ntitle: T\nexamples: ["  "]\n---\n\nBody.\n', /'examples\.0' must not be empty/],
      ['an empty body', '---\ntitle: T\n---\n\n\n', /has no paragraphs/],
      ['an empty file', '', /is empty/],
      ['a heading glued to its paragraph', '---\ntitle: T\n---\n\n## Head\nText right below.\n', /x\.md:5: a heading must be followed by a blank line/],
    ];
    for (const [what, text, message] of cases) {
      it(`names the file and the problem for ${what}`, () => {
        expect(() => parseArticle('x.md', text)).toThrow(CorpusError);
        expect(() => parseArticle('x.md', text)).toThrow(message);
      });
    }
  });
});

describe('loadCorpus', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'corpus-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads every article and ignores other files', async () => {
    await writeFile(path.join(dir, 'one.md'), good);
    await writeFile(path.join(dir, 'aliases.yaml'), 'aliases: {}\n');
    const { articles, errors } = await loadCorpus(dir);
    expect(errors).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual(['one']);
  });

  it('reports a duplicate article id on the later file', async () => {
    await writeFile(path.join(dir, 'a.md'), `---\nid: same\ntitle: A\n---\n\nText.\n`);
    await writeFile(path.join(dir, 'b.md'), `---\nid: same\ntitle: B\n---\n\nText.\n`);
    const { articles, errors } = await loadCorpus(dir);
    expect(articles).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/b\.md: duplicate article id 'same' \(already used by .*a\.md\)/)]);
  });

  it('refuses a file that is not UTF-8, naming it', async () => {
    await writeFile(path.join(dir, 'latin1.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0x3a, 0xe9, 0xff, 0x0a]));
    const { errors } = await loadCorpus(dir);
    expect(errors[0]?.message).toMatch(/latin1\.md: is not valid UTF-8/);
  });

  it('refuses a huge file', async () => {
    await writeFile(path.join(dir, 'huge.md'), `---\ntitle: Huge\n---\n\n${'word '.repeat(600_000)}`);
    const { errors } = await loadCorpus(dir);
    expect(errors[0]?.message).toMatch(/huge\.md: is \d+ bytes; an article may be at most/);
  });

  it('names a file removed while being read', async () => {
    await expect(readArticle(path.join(dir, 'gone.md'))).rejects.toThrow(/gone\.md: was removed while being read/);
  });

  it('reports a missing folder and an empty one', async () => {
    expect((await loadCorpus(path.join(dir, 'nope'))).errors[0]?.message).toMatch(/corpus folder does not exist/);
    expect((await loadCorpus(dir)).errors[0]?.message).toMatch(/has no article files/);
  });
});
