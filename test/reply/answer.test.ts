import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse.js';
import { passageEmbed } from '../../src/reply/answer.js';
import { attribution } from '../../src/reply/plain.js';
import type { Passage } from '../../src/search/engine.js';

const article = parseArticle(
  'x.md',
  '---\ntitle: The Harbour Plan\nurl: https://example.com/harbour\n---\n\nOpening.\n\n## Costs\n\nThe port costs money. The city pays half of it. Ships pay the rest.\n',
);
const paragraph = article.paragraphs[1]!;
const passage = (url: string | null): Passage => ({
  article: { id: article.id, title: article.title, url, source: null, published: null },
  paragraph: paragraph.number,
  section: paragraph.section,
  text: paragraph.text,
  sentence: paragraph.sentences[1]!,
  highlights: [],
  score: 1,
});

describe('an /ask passage', () => {
  it('shows the paragraph once, with only the answering sentence in bold', () => {
    const embed = passageEmbed(passage(null));
    expect(embed.description).toBe('The port costs money. **The city pays half of it.** Ships pay the rest.');
    expect(embed.fields).toBeUndefined();
  });

  it('names where it stands in one line, linked to the article when it has a url', () => {
    expect(passageEmbed(passage('https://example.com/harbour'))).toMatchObject({
      title: 'The Harbour Plan · Costs · ¶2',
      url: 'https://example.com/harbour',
    });
    expect(passageEmbed(passage(null)).url).toBeUndefined();
  });

  it('says which passage it is only when there are several', () => {
    expect(passageEmbed(passage(null), { index: 1, of: 1 }).footer).toBeUndefined();
    expect(passageEmbed(passage(null), { index: 2, of: 3 }).footer?.text).toBe('passage 2 of 3');
  });
});

describe('attribution', () => {
  it('leaves out a missing section', () => {
    expect(attribution({ article: { title: 'T' }, section: null, paragraph: 1 })).toBe('T · ¶1');
  });
  it('shortens the title first, so the section and ¶ always show', () => {
    const line = attribution({ article: { title: 'A very long title '.repeat(30) }, section: 'Costs', paragraph: 12 }, 256);
    expect(line.length).toBeLessThanOrEqual(256);
    expect(line).toMatch(/… · Costs · ¶12$/);
  });
});
