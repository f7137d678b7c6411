import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import MiniSearch, { type SearchResult } from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus, Rng, tempCorpusDir } from '../../bench/generate.js';
import { addTypos } from '../../bench/questions.js';
import { type EvalQuestion, type EvalReport, readQuestions, score } from '../../src/eval/metrics.js';
import { RANKING, SearchEngine } from '../../src/search/engine.js';
import { TopMatcher, type TermQuery } from '../../src/search/minisearch-adapter.js';
import { analyse } from '../../src/search/query.js';
import { openCorpus } from '../../src/search/open.js';
import { FIXTURE_CORPUS, SEED_ALIASES, SEED_ARTICLE } from '../support/fixtures.js';

const QUESTIONS = fileURLToPath(new URL('../fixtures/questions.project.jsonl', import.meta.url));
const PROJECT_CORPUS = FIXTURE_CORPUS;
const FILLER_ARTICLES = 1_000;

let dir = '';
let alone: SearchEngine;
let crowded: SearchEngine;
let questions: EvalQuestion[];

beforeAll(async () => {
  dir = await tempCorpusDir('qa-scale-test-');
  await generateCorpus(dir, { articles: FILLER_ARTICLES + 1, seed: 11, realArticle: SEED_ARTICLE, aliases: SEED_ALIASES });
  const [single, large] = await Promise.all([openCorpus(PROJECT_CORPUS), openCorpus(dir)]);
  alone = SearchEngine.build(single.articles, single.aliases);
  crowded = SearchEngine.build(large.articles, large.aliases);
  questions = await readQuestions(QUESTIONS);
}, 60_000);

afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function evaluate(engine: SearchEngine): EvalReport {
  return score(
    questions,
    questions.map((question) => engine.ask(question.q)),
  );
}

describe('ranking among 1,000 filler articles', () => {
  it('still finds the real article’s gold paragraphs', () => {
    const single = evaluate(alone);
    const many = evaluate(crowded);
    expect(crowded.articles.size).toBe(FILLER_ARTICLES + 1);
    expect(many.passageAt1).toBeGreaterThanOrEqual(single.passageAt1 - 0.05);
    expect(many.falseAbstentions).toBeLessThanOrEqual(single.falseAbstentions + 2);
  });

  it('still abstains, among filler, on the unanswerable questions it abstains on alone (all but a couple)', () => {
    const unanswerable = questions.filter((question) => question.gold.length === 0);
    const refusedAlone = unanswerable.filter((question) => alone.ask(question.q).abstained);
    const refusedCrowded = refusedAlone.filter((question) => crowded.ask(question.q).abstained);
    expect(refusedAlone.length).toBeGreaterThanOrEqual(6);
    expect(refusedCrowded.length).toBeGreaterThanOrEqual(refusedAlone.length - 2);
  });

  it('keeps answers given the article option inside that article', () => {
    for (const { q } of questions) {
      const inArticle = crowded.ask(q, { articleId: 'kim-putin-secret-talks' });
      expect(inArticle.passages.every((passage) => passage.article.id === 'kim-putin-secret-talks')).toBe(true);
    }
  });
});

describe('TopMatcher', () => {
  /** The engine's first-stage query for a question, as `ask` builds it. */
  function queryOf(engine: SearchEngine, question: string): { queries: TermQuery[]; boostTerm: (term: string) => number } {
    const groups = engine.plan(analyse(question));
    const weightOf = new Map<string, number>();
    for (const group of groups) {
      weightOf.set(group.term, 1);
      for (const alt of group.alternates) if (!weightOf.has(alt)) weightOf.set(alt, RANKING.aliasWeight);
    }
    return {
      queries: groups.map((group) => ({ terms: [group.term, ...group.alternates], fuzzy: group.fuzzy, prefix: group.prefix })),
      boostTerm: (term) => weightOf.get(term) ?? 1,
    };
  }

  const SEARCH = { boost: { text: 1, section: 0.4, title: 0.2 }, weights: { fuzzy: 0.6, prefix: 0.5 } };

  it('gives exactly MiniSearch’s top results: ids, scores to the last bit, order and matched terms', () => {
    const rng = new Rng(5);
    const articles = [...crowded.articles.values()];
    const texts = questions.map((question) => question.q);
    for (let i = 0; i < 120; i += 1) {
      const paragraph = rng.pick(rng.pick(articles).paragraphs);
      const words = paragraph.text.split(' ');
      const start = rng.int(0, Math.max(0, words.length - 8));
      const excerpt = words.slice(start, start + rng.int(2, 12)).join(' ');
      texts.push(rng.chance(0.4) ? addTypos(rng, excerpt) : excerpt);
    }
    texts.push('zorblat quimfle', 'shor', 'ammun', 'kim jong-un dprk pyongyang moscow');
    const matcher = new TopMatcher(crowded.index);
    let compared = 0;
    for (const text of texts) {
      const { queries, boostTerm } = queryOf(crowded, text);
      for (const articleId of [undefined, 'kim-putin-secret-talks', rng.pick(articles).id]) {
        const docs =
          articleId === undefined
            ? undefined
            : Int32Array.from(
                (crowded.articles.get(articleId)?.paragraphs ?? []).map(
                  (p) =>
                    (crowded.index as unknown as { _idToShortId: Map<string, number> })._idToShortId.get(`${articleId}#${p.number}`) ?? -1,
                ),
              );
        const ours = matcher.search(queries, { ...SEARCH, boostTerm, ...(docs === undefined ? {} : { docs }) }, RANKING.candidates);
        const theirs = crowded.index
          .search(
            { combineWith: 'OR', queries: queries.map(({ terms, fuzzy, prefix }) => ({ queries: [terms.join(' ')], fuzzy, prefix })) },
            {
              ...SEARCH,
              boostTerm,
              ...(articleId === undefined ? {} : { filter: (result: SearchResult) => String(result.id).startsWith(`${articleId}#`) }),
            },
          )
          .slice(0, RANKING.candidates);
        expect(ours).not.toBeNull();
        expect(ours?.map((match) => [match.id, match.score])).toEqual(theirs.map((result) => [result.id as unknown, result.score]));
        expect(ours?.map((match) => [...match.terms].sort())).toEqual(theirs.map((result) => [...result.terms].sort()));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('declines an index with discarded documents, so the engine asks MiniSearch', () => {
    const index = new MiniSearch({ fields: ['text'] });
    index.addAll([
      { id: 'a', text: 'north korea' },
      { id: 'b', text: 'south korea' },
    ]);
    index.discard('a');
    const query: TermQuery = { terms: ['korea'], fuzzy: 0, prefix: false };
    expect(new TopMatcher(index).search([query], { ...SEARCH, boostTerm: () => 1 }, 5)).toBeNull();
  });
});
