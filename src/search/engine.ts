import MiniSearch, { type SearchResult } from 'minisearch';
import type { Article, Paragraph, Sentence } from '../corpus/types.js';
import { editDistance } from '../text/fold.js';
import { type AliasTable, EMPTY_ALIASES } from './aliases.js';
import { questionTerms, tokenize, terms } from './analyzer.js';
import { specificity } from './english.js';
import { answerType, isOutOfScope, sentenceFits } from './scope.js';

/** A passage that answers a question, with everything needed to attribute it. */
export interface Passage {
  readonly article: ArticleRef;
  readonly paragraph: number;
  readonly section: string | null;
  readonly text: string;
  /** The sentence of the paragraph that best answers the question. */
  readonly sentence: Sentence;
  /** Character ranges in `text` of the words that matched the question. */
  readonly highlights: readonly { start: number; end: number }[];
  readonly score: number;
}

/** What a passage says about the article it comes from. */
export interface ArticleRef {
  readonly id: string;
  readonly title: string;
  readonly url: string | null;
  readonly source: string | null;
  readonly published: string | null;
}

/** Why no passage was given. */
export type AbstainReason = 'empty' | 'out-of-scope' | 'not-covered';

/** The answer to one question: ranked passages, or an honest abstention. */
export interface Answer {
  readonly query: string;
  readonly abstained: boolean;
  readonly reason: AbstainReason | null;
  readonly passages: readonly Passage[];
}

export interface AskOptions {
  /** How many passages at most (default 3). */
  readonly top?: number;
  /** Only passages of this article. */
  readonly articleId?: string;
}

/** Tunable constants of ranking and abstention; their values were chosen on the project's own question set. */
export const RANKING = {
  /** Weight of alias and synonym terms relative to the words actually typed. */
  aliasWeight: 0.7,
  /** Share of the question's weight the best passage must cover, else the article doesn't say. */
  minCoverage: 0.25,
  /** Weight of MiniSearch's BM25 score, normalised to the best result, in the final score. */
  bm25Weight: 0.5,
  /** Weight of the best single sentence's coverage, beside the whole paragraph's coverage (weight 1). */
  sentenceWeight: 1,
  /** Share of a known term's corpus weight that does not depend on how common it is in English. */
  knownFloor: 0.5,
  /** Candidates re-ranked per question. */
  candidates: 30,
} as const;

/** One content word of a question and the terms that may stand for it. */
interface QueryGroup {
  readonly term: string;
  readonly alternates: readonly string[];
  readonly weight: number;
  /** Whether the typed term itself occurs in the index. */
  readonly known: boolean;
  readonly fuzzy: number;
  readonly prefix: boolean;
}

interface IndexedParagraph {
  readonly paragraph: Paragraph;
  readonly article: ArticleRef;
}

const FIELDS = ['text', 'section', 'title'] as const;

/** Options every index of this project is built and loaded with; a cache must be built with the same. */
export function miniSearchOptions() {
  return {
    fields: [...FIELDS],
    idField: 'id',
    tokenize: (text: string, fieldName?: string): string[] => (fieldName === undefined ? text.split(' ') : terms(text)),
    processTerm: (term: string): string => term,
    searchOptions: { tokenize: (text: string): string[] => text.split(' ').filter(Boolean) },
  };
}

/** The document MiniSearch indexes for a paragraph. */
export function paragraphDocument(article: Article, paragraph: Paragraph) {
  return { id: `${article.id}#${paragraph.number}`, text: paragraph.text, section: paragraph.section ?? '', title: article.title };
}

/** How far a typo may be from the word meant, by the word's length: short words must be exact. */
function typoDistance(term: string): number {
  if (term.length < 5) return 0;
  return term.length < 8 ? 1 : 2;
}

/**
 * The search engine over a corpus: MiniSearch for candidate paragraphs, then re-ranking by how
 * much of the question a paragraph and its best sentence cover, and abstention when too little is.
 */
export class SearchEngine {
  private readonly paragraphs = new Map<string, IndexedParagraph>();
  readonly articles: ReadonlyMap<string, Article>;

  constructor(
    articles: readonly Article[],
    readonly index: MiniSearch,
    readonly aliases: AliasTable = EMPTY_ALIASES,
  ) {
    this.articles = new Map(articles.map((article) => [article.id, article]));
    for (const article of articles) {
      const ref: ArticleRef = { id: article.id, title: article.title, url: article.url, source: article.source, published: article.published };
      for (const paragraph of article.paragraphs) this.paragraphs.set(`${article.id}#${paragraph.number}`, { paragraph, article: ref });
    }
  }

  /** Builds the index in one go; use {@link buildEngineAsync} where the event loop must keep turning. */
  static build(articles: readonly Article[], aliases: AliasTable = EMPTY_ALIASES): SearchEngine {
    const index = new MiniSearch(miniSearchOptions());
    index.addAll(articles.flatMap((article) => article.paragraphs.map((paragraph) => paragraphDocument(article, paragraph))));
    return new SearchEngine(articles, index, aliases);
  }

  /** Number of paragraphs containing `term` in their text (MiniSearch keeps this but does not expose it). */
  documentFrequency(term: string): number {
    // _index is protected in MiniSearch's types; reading it avoids a second copy of the vocabulary.
    const entry = (this.index as unknown as { _index: { get(term: string): Map<number, Map<number, number>> | undefined } })._index.get(term);
    return entry?.get(0)?.size ?? 0;
  }

  private idf(df: number): number {
    const n = this.index.documentCount;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Turns a question into weighted term groups, with aliases and a typo plan per term. */
  plan(question: string): QueryGroup[] {
    const words = questionTerms(question);
    const keys = words.map((word) => word.term);
    const groups: QueryGroup[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < words.length; i += 1) {
      const alternates = new Set<string>();
      for (let length = Math.min(this.aliases.longest, words.length - i); length >= 1; length -= 1) {
        const expansion = this.aliases.expansions.get(keys.slice(i, i + length).join(' '));
        if (expansion) for (const term of expansion) alternates.add(term);
      }
      const { term, word } = words[i] ?? { term: '', word: '' };
      if (seen.has(term)) continue;
      seen.add(term);
      const df = this.documentFrequency(term);
      const known = df > 0;
      const alternateDf = Math.max(0, ...[...alternates].map((alt) => this.documentFrequency(alt)));
      // The corpus says how rare a word is among its paragraphs; everyday English says how much a
      // word means at all. A missing "bitcoin" outweighs a missing "want".
      const general = specificity(word);
      const weight =
        known || alternateDf > 0
          ? this.idf(known ? df : alternateDf) * (RANKING.knownFloor + (1 - RANKING.knownFloor) * general)
          : this.idf(0) * general;
      const isLast = i === words.length - 1;
      groups.push({
        term,
        alternates: [...alternates],
        weight,
        known,
        fuzzy: known ? 0 : typoDistance(term),
        // Prefix matching completes a word the index lacks: a final word still being typed, or a stem
        // the stemmer left longer in the text ("short" for "shortages").
        prefix: !known && (term.length >= 5 || (isLast && term.length >= 4)),
      });
    }
    return groups;
  }

  /** Answers a question from the corpus, or abstains. Never throws on any string. */
  ask(question: string, options: AskOptions = {}): Answer {
    const top = options.top ?? 3;
    const query = question;
    if (isOutOfScope(question)) return { query, abstained: true, reason: 'out-of-scope', passages: [] };
    const groups = this.plan(question);
    if (groups.length === 0) return { query, abstained: true, reason: 'empty', passages: [] };

    const weightOf = new Map<string, number>();
    for (const group of groups) {
      weightOf.set(group.term, Math.max(weightOf.get(group.term) ?? 0, 1));
      for (const alt of group.alternates) if (!weightOf.has(alt)) weightOf.set(alt, RANKING.aliasWeight);
    }
    const results = this.index.search(
      {
        combineWith: 'OR',
        queries: groups.map((group) => ({
          queries: [[group.term, ...group.alternates].join(' ')],
          fuzzy: group.fuzzy,
          prefix: group.prefix,
        })),
      },
      {
        boost: { text: 1, section: 0.4, title: 0.2 },
        boostTerm: (term) => weightOf.get(term) ?? 1,
        weights: { fuzzy: 0.6, prefix: 0.5 },
        ...(options.articleId === undefined ? {} : { filter: (result: SearchResult) => String(result.id).startsWith(`${options.articleId}#`) }),
      },
    );
    if (results.length === 0) return { query, abstained: true, reason: 'not-covered', passages: [] };

    const matcher = this.termMatcher(groups, results.slice(0, RANKING.candidates));
    const totalWeight = groups.reduce((sum, group) => sum + group.weight, 0);
    const best = results[0]?.score ?? 1;
    const ranked = results.slice(0, RANKING.candidates).flatMap((result) => {
      const entry = this.paragraphs.get(String(result.id));
      if (!entry) return [];
      const scored = this.scoreParagraph(entry, groups, matcher);
      const coverage = scored.coverage / totalWeight;
      const sentenceCoverage = scored.sentence.weight / totalWeight;
      const score = RANKING.bm25Weight * (result.score / best) + coverage + RANKING.sentenceWeight * sentenceCoverage;
      return [{ entry, coverage, score, sentence: scored.sentence.sentence, highlights: scored.highlights }];
    });
    ranked.sort((a, b) => b.score - a.score);
    // A "how many" question is not answered by a sentence without a number, however many words it shares.
    const type = answerType(question);
    const covered = ranked.filter((candidate) => candidate.coverage >= RANKING.minCoverage && sentenceFits(type, candidate.sentence.text));
    if (covered.length === 0) return { query, abstained: true, reason: 'not-covered', passages: [] };
    return {
      query,
      abstained: false,
      reason: null,
      passages: covered.slice(0, top).map(({ entry, score, sentence, highlights, coverage }) => ({
        article: entry.article,
        paragraph: entry.paragraph.number,
        section: entry.paragraph.section,
        text: entry.paragraph.text,
        sentence,
        highlights,
        score: Math.round(score * 1000) / 1000,
        coverage,
      })),
    };
  }

  /** Maps every document term that matched (exactly, by alias, typo or prefix) to the group it stands for. */
  private termMatcher(groups: readonly QueryGroup[], results: readonly SearchResult[]): Map<string, number> {
    const owner = new Map<string, number>();
    groups.forEach((group, g) => {
      if (!owner.has(group.term)) owner.set(group.term, g);
      for (const alt of group.alternates) if (!owner.has(alt)) owner.set(alt, g);
    });
    for (const result of results) {
      for (const term of result.terms) {
        if (owner.has(term)) continue;
        const g = groups.findIndex(
          (group) => (group.prefix && term.startsWith(group.term)) || (group.fuzzy > 0 && editDistance(term, group.term, group.fuzzy) <= group.fuzzy),
        );
        if (g !== -1) owner.set(term, g);
      }
    }
    return owner;
  }

  private scoreParagraph(entry: IndexedParagraph, groups: readonly QueryGroup[], matcher: ReadonlyMap<string, number>) {
    const { paragraph } = entry;
    const highlights: { start: number; end: number }[] = [];
    // Heading and title words count towards coverage at half weight: "what does Kim want?" is
    // answered under "What Kim Wants", but a heading speaks for its section, not for each paragraph.
    const headingGroups = new Set<number>();
    for (const term of terms(`${paragraph.section ?? ''} ${entry.article.title}`)) {
      const g = matcher.get(term);
      if (g !== undefined) headingGroups.add(g);
    }
    const paragraphGroups = new Set<number>();
    const perSentence = paragraph.sentences.map(() => new Set<number>());
    for (const token of tokenize(paragraph.text)) {
      const g = matcher.get(token.term);
      if (g === undefined) continue;
      paragraphGroups.add(g);
      highlights.push({ start: token.start, end: token.end });
      const s = paragraph.sentences.findIndex((sentence) => token.start >= sentence.start && token.start < sentence.end);
      perSentence[s]?.add(g);
    }
    const weigh = (set: ReadonlySet<number>): number => [...set].reduce((sum, g) => sum + (groups[g]?.weight ?? 0), 0);
    let bestIndex = 0;
    let bestWeight = -1;
    perSentence.forEach((set, s) => {
      const weight = weigh(set);
      if (weight > bestWeight) {
        bestWeight = weight;
        bestIndex = s;
      }
    });
    const sentence = paragraph.sentences[bestIndex] ?? { index: 0, text: paragraph.text, start: 0, end: paragraph.text.length };
    const headingOnly = new Set([...headingGroups].filter((g) => !paragraphGroups.has(g)));
    return { coverage: weigh(paragraphGroups) + 0.5 * weigh(headingOnly), sentence: { sentence, weight: Math.max(0, bestWeight) }, highlights };
  }
}
