import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Article, Paragraph } from '../../../src/corpus/types.js';
import type { Answer, Passage } from '../../../src/search/engine.js';
import type { Embedder } from '../../../src/search/semantic/embedder.js';
import { BUDGET, SemanticRanker, vectorsFile } from '../../../src/search/semantic/ranker.js';
import { SentenceVectors } from '../../../src/search/semantic/vectors.js';

/** A stand-in encoder: a text's vector counts its letters a–z, so texts sharing letters are similar. */
class LetterEmbedder implements Embedder {
  readonly embedded: string[] = [];
  pending = 0;
  constructor(
    private readonly delayMs = 0,
    private readonly failing = false,
  ) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failing) throw new Error('encoder broke');
    return texts.map((text) => {
      const v = new Float32Array(26);
      for (const ch of text.toLowerCase()) {
        const i = ch.charCodeAt(0) - 97;
        if (i >= 0 && i < 26) v[i] = (v[i] ?? 0) + 1;
      }
      return v;
    });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function passage(paragraph: number, text: string, score: number): Passage {
  const sentence = { index: 0, text, start: 0, end: text.length };
  return {
    article: { id: 'a', title: 'A', url: null, source: null, published: null },
    paragraph,
    section: null,
    text,
    sentence,
    highlights: [],
    score,
    sentences: [{ sentence, score }],
  };
}

const ANSWER: Answer = {
  query: 'zzz',
  abstained: false,
  reason: null,
  passages: [passage(1, 'aaaa bbbb', 1), passage(2, 'zzz zzz', 0.9)],
};

function ranker(embedder: Embedder, options: { deadlineMs?: number; logger?: pino.Logger } = {}): SemanticRanker {
  return new SemanticRanker(embedder, { vectors: new SentenceVectors(26), ...options });
}

describe('SemanticRanker', () => {
  it('re-ranks by similarity to the question', async () => {
    const answer = await ranker(new LetterEmbedder()).rerank('zzz', ANSWER, 3);
    expect(answer.passages.map((p) => p.paragraph)).toEqual([2, 1]);
  });

  it('embeds each sentence and each question once', async () => {
    const embedder = new LetterEmbedder();
    const semantic = ranker(embedder);
    await semantic.rerank('zzz', ANSWER, 3);
    await semantic.rerank('zzz', ANSWER, 3);
    await semantic.rerank('other question', ANSWER, 3);
    expect(embedder.embedded.sort()).toEqual(['A: aaaa bbbb', 'A: zzz zzz', 'other question', 'zzz']);
  });

  it('embeds the corpus ahead of questions, then only the question', async () => {
    const embedder = new LetterEmbedder();
    const semantic = ranker(embedder);
    const paragraph = (number: number, text: string): Paragraph => ({
      articleId: 'a',
      number,
      section: null,
      text,
      sentences: [{ index: 0, text, start: 0, end: text.length }],
    });
    const article = { id: 'a', title: 'A', paragraphs: [paragraph(1, 'aaaa bbbb'), paragraph(2, 'zzz zzz')] } as unknown as Article;
    await semantic.warm([article]);
    await semantic.warm([article]);
    expect(embedder.embedded.sort()).toEqual(['A: aaaa bbbb', 'A: zzz zzz']);
    await semantic.rerank('zzz', ANSWER, 3);
    expect(embedder.embedded).toContain('zzz');
    expect(embedder.embedded).toHaveLength(3);
  });

  it('holds warming, not questions, until every hold is released', async () => {
    const embedder = new LetterEmbedder();
    const semantic = ranker(embedder);
    const paragraph = { index: 1, section: null, text: 'cccc dddd', sentences: [{ index: 0, text: 'cccc dddd', start: 0, end: 9 }] };
    const article = { id: 'a', title: 'A', paragraphs: [paragraph] } as unknown as Article;
    const first = semantic.holdWarming();
    const second = semantic.holdWarming();
    const warmed = semantic.warm([article]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(embedder.embedded).toEqual([]);
    // A question is served while warming is held.
    expect((await semantic.rerank('zzz', ANSWER, 3)).passages.map((p) => p.paragraph)).toEqual([2, 1]);
    expect(embedder.embedded).not.toContain('A: cccc dddd');
    first();
    first();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(embedder.embedded).not.toContain('A: cccc dddd');
    second();
    await warmed;
    expect(semantic.vectors.has('A: cccc dddd')).toBe(true);
  });

  it('drops a held warm-up when it is closed meanwhile', async () => {
    const embedder = new LetterEmbedder();
    const semantic = ranker(embedder);
    const paragraph = { index: 1, section: null, text: 'cccc dddd', sentences: [{ index: 0, text: 'cccc dddd', start: 0, end: 9 }] };
    const release = semantic.holdWarming();
    const warmed = semantic.warm([{ id: 'a', title: 'A', paragraphs: [paragraph] } as unknown as Article]);
    // Let it reach the hold before closing.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await semantic.close();
    release();
    await warmed;
    expect(embedder.embedded).toEqual([]);
  });

  it('answers in the lexical order when the encoder is late', async () => {
    const answer = await ranker(new LetterEmbedder(200), { deadlineMs: 20 }).rerank('zzz', ANSWER, 3);
    expect(answer.passages.map((p) => p.paragraph)).toEqual([1, 2]);
  });

  it('answers in the lexical order at once, embedding nothing, when the encoder is backed up', async () => {
    const embedder = new LetterEmbedder();
    const semantic = ranker(embedder);
    embedder.pending = BUDGET.backlogTexts + 1;
    const shed = await semantic.rerank('zzz', ANSWER, 3);
    expect(shed.passages.map((p) => p.paragraph)).toEqual([1, 2]);
    expect(embedder.embedded).toEqual([]);
    // At the limit it still waits its turn and re-ranks.
    embedder.pending = BUDGET.backlogTexts;
    expect((await semantic.rerank('zzz', ANSWER, 3)).passages.map((p) => p.paragraph)).toEqual([2, 1]);
  });

  it('answers in the lexical order, and warns once, when the encoder fails', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const semantic = ranker(new LetterEmbedder(0, true), { logger });
    for (const question of ['zzz', 'yyy']) {
      const answer = await semantic.rerank(question, ANSWER, 3);
      expect(answer.passages.map((p) => p.paragraph)).toEqual([1, 2]);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('answering by words alone');
  });

  it('cuts the passages to `top` whatever it does', async () => {
    expect((await ranker(new LetterEmbedder()).rerank('zzz', ANSWER, 1)).passages).toHaveLength(1);
    expect((await ranker(new LetterEmbedder(0, true)).rerank('zzz', ANSWER, 1)).passages).toHaveLength(1);
  });

  describe('opened on a cache folder', () => {
    const unit = (at: number): Float32Array => Float32Array.from({ length: 512 }, (_, i) => (i === at ? 1 : 0));

    it('reads the saved vectors without making anyone wait, and saves them with the new ones', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'ranker-'));
      try {
        const saved = new SentenceVectors(512);
        saved.set('A sentence embedded last time.', unit(0));
        await saved.save(vectorsFile(dir));
        const semantic = SemanticRanker.open(dir);
        // Not read yet: open returned at once.
        expect(semantic.vectors.has('A sentence embedded last time.')).toBe(false);
        semantic.vectors.set('A sentence embedded just now.', unit(1));
        // Closed before anything else happened: the file must still hold what it held.
        await semantic.close();
        const { vectors } = await SentenceVectors.load(vectorsFile(dir), 512);
        expect(vectors.has('A sentence embedded last time.')).toBe(true);
        expect(vectors.has('A sentence embedded just now.')).toBe(true);
        const again = SemanticRanker.open(dir);
        await again.warm([]);
        expect(again.vectors.size).toBe(2);
        await again.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
