import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/corpus/parse.js';
import { exampleQuestion, examplesFor } from '../../src/reply/examples.js';

const article = (frontMatter: string, body: string) => parseArticle('x.md', `---\ntitle: The Harbour Plan\n${frontMatter}---\n\n${body}`);

describe('examples shown to users', () => {
  it('takes the first question the front matter lists', () => {
    expect(exampleQuestion(article('examples: [Who pays for the dredging?, Why now?]\n', 'Text.\n\n## Costs\n\nMore.\n'))).toBe(
      'Who pays for the dredging?',
    );
  });

  it('makes one from the first heading when none is listed', () => {
    expect(exampleQuestion(article('', 'Text.\n\n## Why the Port Matters:\n\nMore.\n'))).toBe('Why the Port Matters?');
    expect(exampleQuestion(article('', 'Text.\n\n## The Costs\n\nMore.\n'))).toBe('What does the article say about The Costs?');
  });

  it('asks about the title when the article has no headings', () => {
    expect(exampleQuestion(article('', 'Text.\n'))).toBe('What is “The Harbour Plan” about?');
  });

  it('offers the most mentioned name and a paragraph the article has', () => {
    expect(examplesFor(article('', 'One.\n\nTwo.\n'), ['Ana Silva', 'Lisbon'])).toEqual({
      question: 'What is “The Harbour Plan” about?',
      name: 'Ana Silva',
      paragraph: 2,
    });
    expect(examplesFor(article('', 'One.\n\nTwo.\n\nThree.\n\nFour.\n'), []).name).toBeNull();
    expect(examplesFor(article('', 'One.\n\nTwo.\n\nThree.\n\nFour.\n'), []).paragraph).toBe(3);
  });
});
