import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { articleFileName, generateCorpus, mulberry32, Rng, tempCorpusDir, WordSampler } from '../../bench/generate.js';
import { addTypos, benchQuestions } from '../../bench/questions.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { SEED_ALIASES, SEED_ARTICLE } from '../support/fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const words = new WordSampler();

async function corpus(articles: number, seed: number): Promise<string> {
  const dir = await tempCorpusDir('qa-generate-test-');
  dirs.push(dir);
  await generateCorpus(dir, { articles, seed, realArticle: SEED_ARTICLE, aliases: SEED_ALIASES, words });
  return dir;
}

async function contents(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')] as const)));
}

describe('mulberry32', () => {
  it('gives the same stream for the same seed and floats in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
  });

  it('gives another stream for another seed', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });
});

describe('WordSampler', () => {
  it('draws frequent English words far more often than rare ones', () => {
    const rng = new Rng(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i += 1) {
      const word = words.sample(rng);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const ranked = [...counts.values()].sort((a, b) => b - a);
    // Zipf-like: the commonest word alone is a few percent of all draws; most words are drawn rarely.
    expect((ranked[0] ?? 0) / 20_000).toBeGreaterThan(0.02);
    expect(ranked.filter((n) => n === 1).length).toBeGreaterThan(1000);
    expect(words.words).toHaveLength(20_000);
  });

  it('leaves out the halves of contractions that subtitles split off', () => {
    expect(words.words).not.toContain('don');
    expect(words.words).not.toContain('t');
    expect(words.words).toContain('I');
  });
});

describe('generateCorpus', () => {
  it('writes the same files for the same seed', async () => {
    const [a, b] = await Promise.all([corpus(25, 3), corpus(25, 3)]);
    expect(await contents(b)).toEqual(await contents(a));
  });

  it('writes other articles for another seed, and a smaller corpus is the start of a larger one', async () => {
    const [a, other, small] = await Promise.all([corpus(25, 3), corpus(25, 4), corpus(10, 3)]);
    const [large, otherFiles, smallFiles] = await Promise.all([contents(a), contents(other), contents(small)]);
    expect(otherFiles.get(articleFileName(2))).not.toBe(large.get(articleFileName(2)));
    for (const [name, text] of smallFiles) expect(large.get(name)).toBe(text);
  });

  it('writes articles the corpus loader accepts: a title, about eleven paragraphs, ## sections', async () => {
    const dir = await corpus(40, 5);
    const { articles, errors } = await loadCorpus(dir);
    expect(errors).toEqual([]);
    expect(articles).toHaveLength(40);
    expect(articles[0]?.id).toBe('kim-putin-secret-talks');
    expect(await readFile(path.join(dir, 'aliases.yaml'), 'utf8')).toBe(await readFile(SEED_ALIASES, 'utf8'));
    for (const article of articles.slice(1)) {
      expect(article.title.length).toBeGreaterThan(0);
      expect(article.paragraphs.length).toBeGreaterThanOrEqual(9);
      expect(article.paragraphs.length).toBeLessThanOrEqual(13);
      expect(article.sections.length).toBeGreaterThan(0);
      for (const paragraph of article.paragraphs) expect(paragraph.sentences.length).toBeGreaterThan(0);
    }
    const mean = articles.reduce((sum, article) => sum + article.paragraphs.length, 0) / articles.length;
    expect(mean).toBeGreaterThan(10);
    expect(mean).toBeLessThan(12);
  });
});

describe('benchQuestions', () => {
  it('is the same for the same seed and mixes every kind', async () => {
    const { articles } = await loadCorpus(await corpus(20, 6));
    const questions = benchQuestions(articles, 9);
    expect(benchQuestions(articles, 9)).toEqual(questions);
    expect(questions.length).toBeGreaterThanOrEqual(500);
    expect(new Set(questions.map((question) => question.kind))).toEqual(new Set(['eval', 'generated', 'typo', 'unanswerable']));
  });

  it('adds typos only to words of five letters or more', () => {
    const rng = new Rng(1);
    expect(addTypos(rng, 'a big dog')).toBe('a big dog');
    const changed = addTypos(rng, 'ammunition shipments');
    expect(changed).not.toBe('ammunition shipments');
  });
});
