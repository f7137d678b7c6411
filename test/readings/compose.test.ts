import { describe, expect, it } from 'vitest';
import { articleOf, decodeText, draftOf, freeId, markdownOf, ReadingRefusal, slugOf } from '../../src/readings/compose.js';
import { parseArticle } from '../../src/corpus/parse.js';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    if (err instanceof ReadingRefusal) return err.reason;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('turning what a member hands in into a reading', () => {
  it('takes the first non-empty line of a .txt as the title', () => {
    const draft = draftOf({
      kind: 'file',
      filename: 'a.txt',
      text: '\n\n  Night Trains of Europe \n\nSleeper services return to Vienna.\n',
    });
    expect(draft.title).toBe('Night Trains of Europe');
    const article = articleOf(draft, draft.wantedId, '1', '2026-12-01T00:00:00Z');
    expect(article.id).toBe('night-trains-of-europe');
    expect(article.paragraphs.map((p) => p.text)).toEqual(['Sleeper services return to Vienna.']);
  });

  it('takes a Markdown heading on the first line as the title, and keeps the other headings as sections', () => {
    const draft = draftOf({ kind: 'file', filename: 'a.md', text: '# Night Trains\n\nFirst.\n\n## Routes\n\nSecond.\n' });
    const article = articleOf(draft, 'night-trains', '1', 'now');
    expect(article.title).toBe('Night Trains');
    expect(article.sections).toEqual([{ title: 'Routes', firstParagraph: 2, lastParagraph: 2 }]);
  });

  it('keeps a file’s front matter, and saves a valid corpus file with who added it', () => {
    const draft = draftOf({
      kind: 'file',
      filename: 'a.md',
      text: '---\ntitle: "Trains: a history"\nsource: Rail Weekly\npublished: 2024-05-01\nadded_by: forged\n---\n\nText.\n',
    });
    const markdown = markdownOf(draft, 'trains-a-history', '42', '2026-12-01T00:00:00.000Z');
    const article = parseArticle('trains-a-history.md', markdown);
    expect(article).toMatchObject({ id: 'trains-a-history', title: 'Trains: a history', source: 'Rail Weekly', published: '2024-05-01' });
    expect(markdown).toMatch(/added_by: "42"/);
    expect(markdown).not.toMatch(/forged/);
  });

  it('refuses with the corpus check’s own words', () => {
    expect(refusal(() => draftOf({ kind: 'file', filename: 'a.md', text: '---\nsource: x\n---\n\nText.\n' }))).toMatch(
      /front matter 'title' is required/,
    );
    expect(refusal(() => draftOf({ kind: 'file', filename: 'a.md', text: '---\ntitle: T\n---\n\n' }))).toMatch(/has no paragraphs/);
    expect(refusal(() => draftOf({ kind: 'file', filename: 'a.txt', text: 'Only a title\n' }))).toMatch(/no text under its title/);
    expect(refusal(() => draftOf({ kind: 'file', filename: 'a.txt', text: '   \n\n' }))).toMatch(/empty/);
    expect(refusal(() => draftOf({ kind: 'form', title: ' ', source: '', url: '', text: 'x' }))).toMatch(/no title/);
    expect(refusal(() => draftOf({ kind: 'file', filename: 'a.txt', text: `${'long '.repeat(100)}\n\nText.` }))).toMatch(/at most 300/);
  });

  it('refuses a link Discord would not show (not http or https)', () => {
    expect(refusal(() => draftOf({ kind: 'form', title: 'T', source: '', url: 'javascript:alert(1)', text: 'Text.' }))).toMatch(/http/);
    expect(draftOf({ kind: 'form', title: 'T', source: '', url: 'https://example.org/a', text: 'Text.' }).meta['url']).toBe(
      'https://example.org/a',
    );
  });

  it('tells text from binary', () => {
    expect(decodeText(new TextEncoder().encode('Grüße, 日本語 text\n'))).toBe('Grüße, 日本語 text\n');
    expect(refusal(() => decodeText(Uint8Array.from([0xff, 0xfe, 0x00, 0x41])))).toMatch(/not UTF-8/);
    expect(refusal(() => decodeText(Uint8Array.from([0x41, 0x00, 0x42])))).toMatch(/binary/);
  });

  it('makes ids from titles, and a free one when taken', () => {
    expect(slugOf('Kim’s “Secret” Talks — Part 2')).toBe('kim-s-secret-talks-part-2');
    expect(slugOf('日本語')).toBe('reading');
    expect(slugOf('word '.repeat(40)).length).toBeLessThanOrEqual(60);
    const taken = new Set(['a', 'a-2']);
    expect(freeId('a', (id) => taken.has(id))).toBe('a-3');
    expect(freeId('b', (id) => taken.has(id))).toBe('b');
  });
});
