import { describe, expect, it } from 'vitest';
import type { Answer, AskOptions, Passage } from '../../../src/search/engine.js';
import { SEMANTIC } from '../../../src/search/semantic/rerank.js';
import { askInTwoStages, type Reranker } from '../../../src/search/semantic/two-stage.js';

function passage(paragraph: number): Passage {
  const text = `Paragraph ${paragraph}.`;
  return {
    article: { id: 'a', title: 'A', url: null, source: null, published: null },
    paragraph,
    section: null,
    text,
    sentence: { index: 0, text, start: 0, end: text.length },
    highlights: [],
    score: 1 / paragraph,
  };
}

/** An engine that finds `found` passages (fewer when asked for fewer) and remembers what it was asked. */
function engine(found: number, abstained = false) {
  const asked: AskOptions[] = [];
  return {
    asked,
    ask(question: string, options: AskOptions): Answer {
      asked.push(options);
      const top = options.top ?? 3;
      const passages = Array.from({ length: Math.min(found, top) }, (_, i) => passage(i + 1));
      return { query: question, abstained, reason: abstained ? 'not-covered' : null, passages: abstained ? [] : passages };
    },
  };
}

const reversing: Reranker = {
  rerank: (_question, answer, top) => Promise.resolve({ ...answer, passages: [...answer.passages].reverse().slice(0, top) }),
};

describe('askInTwoStages', () => {
  it('asks the lexical ranker for the semantic pool and re-ranks from all of it', async () => {
    const lexicalRanker = engine(12);
    const { lexical, rerank } = askInTwoStages(lexicalRanker, reversing, 'q', { top: 3 });
    expect(lexicalRanker.asked[0]?.top).toBe(SEMANTIC.passages);
    expect(lexical.passages.map((p) => p.paragraph)).toEqual([1, 2, 3]);
    expect((await rerank?.())?.passages.map((p) => p.paragraph)).toEqual([10, 9, 8]);
  });

  it('has nothing to re-rank without a stage, on an abstention, or with a single passage', () => {
    expect(askInTwoStages(engine(5), undefined, 'q', { top: 3 }).rerank).toBeNull();
    expect(askInTwoStages(engine(5, true), reversing, 'q', { top: 3 }).rerank).toBeNull();
    const single = askInTwoStages(engine(1), reversing, 'q', { top: 3 });
    expect(single.rerank).toBeNull();
    expect(single.lexical.passages.map((p) => p.paragraph)).toEqual([1]);
  });
});
