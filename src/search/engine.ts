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
  bm25Weight: 0.25,
  /** Weight of the best single sentence's coverage, beside the whole paragraph's coverage (weight 1). */
  sentenceWeight: 1,
  /** Share of a known term's corpus weight that does not depend on how common it is in English. */
  knownFloor: 0.5,
  /** Candidates re-ranked per question. */
  candidates: 30,
} as const;

/**
 * Version of everything that shapes the index besides the corpus: the analyzer (tokens, stop words,
 * stems, acronyms), {@link miniSearchOptions} and {@link paragraphDocument}. Bump it with any change
 * to them, so saved index caches are rebuilt rather than trusted.
 */
export const INDEX_VERSION = 'index-1';

/** MiniSearch options of the first-stage search; the scorer below applies exactly these. */
const SEARCH = {
  boost: { text: 1, section: 0.4, title: 0.2 },
  weights: { fuzzy: 0.6, prefix: 0.5 },
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
  private matcher: TopMatcher | undefined;
  readonly articles: ReadonlyMap<string, Article>;

  constructor(
    articles: readonly Article[],
    readonly index: MiniSearch,
    readonly aliases: AliasTable = EMPTY_ALIASES,
  ) {
    this.articles = new Map(articles.map((article) => [article.id, article]));
    for (const article of articles) {
      const ref: ArticleRef = {
        id: article.id,
        title: article.title,
        url: article.url,
        source: article.source,
        published: article.published,
      };
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
    const entry = (this.index as unknown as { _index: { get(term: string): Map<number, Map<number, number>> | undefined } })._index.get(
      term,
    );
    return entry?.get(0)?.size ?? 0;
  }

  private idf(df: number): number {
    const n = this.index.documentCount;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Index terms one swap of neighbouring letters away from a term the index lacks. */
  private transpositions(term: string): string[] {
    if (term.length < 4) return [];
    const found: string[] = [];
    for (let i = 0; i + 1 < term.length; i += 1) {
      if (term[i] === term[i + 1]) continue;
      const swapped = `${term.slice(0, i)}${term[i + 1]}${term[i]}${term.slice(i + 2)}`;
      if (this.documentFrequency(swapped) > 0) found.push(swapped);
    }
    return found;
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
      // Swapped neighbours ("retrun") are the commonest typo, and edit distance counts them twice.
      if (!known) for (const swapped of this.transpositions(term)) alternates.add(swapped);
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
    const planned = this.plan(question);
    if (planned.length === 0) return { query, abstained: true, reason: 'empty', passages: [] };

    const weightOf = new Map<string, number>();
    for (const group of planned) {
      weightOf.set(group.term, Math.max(weightOf.get(group.term) ?? 0, 1));
      for (const alt of group.alternates) if (!weightOf.has(alt)) weightOf.set(alt, RANKING.aliasWeight);
    }
    const results = this.search(planned, (term) => weightOf.get(term) ?? 1, options.articleId);
    if (results.length === 0) return { query, abstained: true, reason: 'not-covered', passages: [] };

    const matcher = this.termMatcher(planned, results.slice(0, RANKING.candidates));
    const groups = this.reweighTypos(planned, matcher);
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
    const covered = ranked.filter((candidate) => {
      if (candidate.coverage < RANKING.minCoverage) return false;
      const { start, end, text } = candidate.sentence;
      const inSentence = candidate.highlights
        .filter((h) => h.start >= start && h.end <= end)
        .map((h) => ({ start: h.start - start, end: h.end - start }));
      return sentenceFits(type, text, inSentence);
    });
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

  /**
   * The best {@link RANKING.candidates} paragraphs by MiniSearch's score: the question's groups
   * OR-combined, BM25+ per term times the number of query terms matched. {@link TopMatcher} gives
   * MiniSearch's exact scores and order without building a result for every matching paragraph,
   * which at 100,000 paragraphs costs more than the rest of `ask` together.
   */
  private search(groups: readonly QueryGroup[], boostTerm: (term: string) => number, articleId: string | undefined): readonly Match[] {
    const queries = groups.map((group) => ({ terms: [group.term, ...group.alternates], fuzzy: group.fuzzy, prefix: group.prefix }));
    this.matcher ??= new TopMatcher(this.index);
    const docs = articleId === undefined ? undefined : this.articleDocuments(articleId);
    const top = this.matcher.search(queries, { ...SEARCH, boostTerm, ...(docs === undefined ? {} : { docs }) }, RANKING.candidates);
    if (top !== null) return top;
    return this.index
      .search(
        { combineWith: 'OR', queries: queries.map(({ terms, fuzzy, prefix }) => ({ queries: [terms.join(' ')], fuzzy, prefix })) },
        {
          ...SEARCH,
          boostTerm,
          ...(articleId === undefined ? {} : { filter: (result: SearchResult) => String(result.id).startsWith(`${articleId}#`) }),
        },
      )
      .slice(0, RANKING.candidates);
  }

  /** MiniSearch's internal ids of an article's paragraphs, ascending, as the scorer's filter takes them. */
  private articleDocuments(articleId: string): Int32Array {
    const article = this.articles.get(articleId);
    if (article === undefined) return new Int32Array(0);
    const shortIds = (this.index as unknown as { _idToShortId: ReadonlyMap<string, number> })._idToShortId;
    const ids = article.paragraphs.flatMap((paragraph) => shortIds.get(`${article.id}#${paragraph.number}`) ?? []);
    return Int32Array.from(ids).sort();
  }

  /**
   * A typed word the index lacks weighs as a missing word until the search shows what it matched:
   * then it weighs as that word. "rusia" found "russia", a common word here, so it must not outweigh
   * the rest of the question.
   */
  private reweighTypos(groups: readonly QueryGroup[], matcher: ReadonlyMap<string, number>): QueryGroup[] {
    const matchedDf = groups.map(() => 0);
    for (const [term, g] of matcher) {
      const group = groups[g];
      if (group && !group.known && term !== group.term) matchedDf[g] = Math.max(matchedDf[g] ?? 0, this.documentFrequency(term));
    }
    return groups.map((group, g) => {
      const df = matchedDf[g] ?? 0;
      return df > 0 && !group.known ? { ...group, weight: Math.min(group.weight, this.idf(df)) } : group;
    });
  }

  /** Maps every document term that matched (exactly, by alias, typo or prefix) to the group it stands for. */
  private termMatcher(groups: readonly QueryGroup[], results: readonly Match[]): Map<string, number> {
    const owner = new Map<string, number>();
    groups.forEach((group, g) => {
      if (!owner.has(group.term)) owner.set(group.term, g);
      for (const alt of group.alternates) if (!owner.has(alt)) owner.set(alt, g);
    });
    for (const result of results) {
      for (const term of result.terms) {
        if (owner.has(term)) continue;
        const g = groups.findIndex(
          (group) =>
            (group.prefix && term.startsWith(group.term)) ||
            (group.fuzzy > 0 && editDistance(term, group.term, group.fuzzy) <= group.fuzzy),
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
    return {
      coverage: weigh(paragraphGroups) + 0.5 * weigh(headingOnly),
      sentence: { sentence, weight: Math.max(0, bestWeight) },
      highlights,
    };
  }
}

/**
 * Builds the engine like {@link SearchEngine.build}, indexing in chunks that yield to the event loop
 * between them, so a large corpus does not stall a running bot (the gateway heartbeat, interactions).
 * At ~0.15 ms a paragraph, 256 paragraphs keep each turn near 40 ms.
 */
export async function buildEngineAsync(
  articles: readonly Article[],
  aliases: AliasTable = EMPTY_ALIASES,
  chunkSize = 256,
): Promise<SearchEngine> {
  const index = new MiniSearch(miniSearchOptions());
  await index.addAllAsync(
    articles.flatMap((article) => article.paragraphs.map((paragraph) => paragraphDocument(article, paragraph))),
    { chunkSize },
  );
  return new SearchEngine(articles, index, aliases);
}

/** A paragraph found by the first-stage search: its id, MiniSearch's score, and the document terms that matched. */
export interface Match {
  readonly id: string;
  readonly score: number;
  readonly terms: readonly string[];
}

/** One OR-group of a query: terms searched alike (a word and its aliases), with MiniSearch's fuzzy and prefix. */
export interface TermQuery {
  readonly terms: readonly string[];
  /** Maximum edit distance, or below 1 a fraction of the term's length, as MiniSearch takes it; 0 for none. */
  readonly fuzzy: number;
  readonly prefix: boolean;
}

/** Search options of {@link TopMatcher.search}: those of MiniSearch's `search()` the engine uses. */
export interface MatchOptions {
  readonly boost: Readonly<Record<string, number>>;
  readonly weights: { readonly fuzzy: number; readonly prefix: number };
  readonly boostTerm: (term: string) => number;
  /** Score only these documents (MiniSearch's internal ids, ascending), like a `filter` on them. */
  readonly docs?: Int32Array;
}

type Postings = Map<number, number>;
type TermData = Map<number, Postings>;

/** The parts of MiniSearch 7's index the scorer reads (protected in its types). */
interface IndexInternals {
  readonly _index: {
    get(term: string): TermData | undefined;
    atPrefix(prefix: string): Iterable<[string, TermData]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [TermData, number]>;
  };
  readonly _options: {
    readonly fields: readonly string[];
    readonly searchOptions: { readonly bm25: { k: number; b: number; d: number }; readonly maxFuzzy: number };
  };
  readonly _documentCount: number;
  readonly _documentIds: ReadonlyMap<number, string>;
  readonly _fieldIds: Readonly<Record<string, number>>;
  readonly _fieldLength: ReadonlyMap<number, readonly number[]>;
  readonly _avgFieldLength: readonly number[];
  readonly _nextId: number;
  readonly _dirtCount: number;
}

const NO_MATCHES: readonly Match[] = [];

/** Number of set bits: the distinct query terms a document matched. */
function popcount(bits: number): number {
  let n = bits >>> 0;
  n -= (n >>> 1) & 0x55555555;
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A posting list as typed arrays, in the Map's order (ascending document id): a tenth of the time to walk. */
interface Column {
  readonly docs: Int32Array;
  readonly freqs: Uint32Array;
}

/** A field as the scorer needs it: MiniSearch's id, the query's boost, and every document's length. */
interface ScoredField {
  readonly id: number;
  readonly boost: number;
  readonly average: number;
  readonly lengths: Float64Array;
}

/** A growable list of document ids that is reset, not reallocated, between questions. */
class DocList {
  items = new Int32Array(0);
  length = 0;
  push(doc: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(Math.max(1024, this.items.length * 2));
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length] = doc;
    this.length += 1;
  }
}

/**
 * MiniSearch's `search()` for OR-combined term groups, returning only the best `limit` results:
 * the same BM25+ scores (bit for bit: the same operations in the same order), the same order, ties
 * included. MiniSearch allocates a result object per matching document and sorts them all; a term in
 * a third of 100,000 paragraphs makes that the cost of a question. This adds scores into typed arrays,
 * walks posting lists copied to typed arrays on first use, and keeps a running top-k; with `docs` it
 * reads only those documents' postings. The copies cost 8 bytes a posting, for the terms ever asked
 * about: at most ~30 MB at 10,000 articles.
 */
export class TopMatcher {
  private readonly ix: IndexInternals;
  private size = -1;
  private lengths: Float64Array[] = [];
  private columns = new WeakMap<Postings, Column>();
  private total = new Float64Array(0);
  private group = new Float64Array(0);
  private spec = new Float64Array(0);
  private mask = new Uint32Array(0);
  private maskStamp = new Uint32Array(0);
  private totalStamp = new Uint32Array(0);
  private groupStamp = new Uint32Array(0);
  private specStamp = new Uint32Array(0);
  private docStamp = new Uint32Array(0);
  private stamp = 0;
  private readonly totalList = new DocList();
  private readonly groupList = new DocList();
  private readonly specList = new DocList();

  constructor(index: MiniSearch) {
    this.ix = index as unknown as IndexInternals;
  }

  /** Whether the index can be scored from its postings alone: nothing discarded, no vacuum pending. */
  private usable(): boolean {
    const ix = this.ix;
    return ix._dirtCount === 0 && ix._documentCount === ix._nextId && ix._documentIds.size === ix._nextId;
  }

  /** Sizes the scratch arrays to the index; adding documents changes every score, so it starts over. */
  private prepare(): void {
    const n = this.ix._nextId;
    if (this.size === n) return;
    this.size = n;
    this.lengths = this.ix._options.fields.map((field) => {
      const fieldId = this.ix._fieldIds[field] ?? 0;
      const lengths = new Float64Array(n);
      // A missing length is NaN in MiniSearch's arithmetic too (undefined), so the scores stay alike.
      for (const [docId, perField] of this.ix._fieldLength) lengths[docId] = perField[fieldId] ?? Number.NaN;
      return lengths;
    });
    this.columns = new WeakMap();
    this.total = new Float64Array(n);
    this.group = new Float64Array(n);
    this.spec = new Float64Array(n);
    this.mask = new Uint32Array(n);
    this.maskStamp = new Uint32Array(n);
    this.totalStamp = new Uint32Array(n);
    this.groupStamp = new Uint32Array(n);
    this.specStamp = new Uint32Array(n);
    this.docStamp = new Uint32Array(n);
    this.stamp = 0;
  }

  private nextStamp(): number {
    if (this.stamp >= 0xfffffff0) {
      for (const stamps of [this.maskStamp, this.totalStamp, this.groupStamp, this.specStamp, this.docStamp]) stamps.fill(0);
      this.stamp = 0;
    }
    this.stamp += 1;
    return this.stamp;
  }

  private column(postings: Postings): Column {
    let column = this.columns.get(postings);
    if (column === undefined) {
      const docs = new Int32Array(postings.size);
      const freqs = new Uint32Array(postings.size);
      let i = 0;
      for (const [doc, freq] of postings) {
        docs[i] = doc;
        freqs[i] = freq;
        i += 1;
      }
      column = { docs, freqs };
      this.columns.set(postings, column);
    }
    return column;
  }

  /**
   * The best `limit` results of the OR of `queries`, best first, or null when this index or query
   * is outside what the scorer reproduces (a discarded document, more than 32 distinct terms); the
   * caller then asks MiniSearch.
   */
  search(queries: readonly TermQuery[], options: MatchOptions, limit: number): readonly Match[] | null {
    if (!this.usable()) return null;
    const bits = new Map<string, number>();
    for (const query of queries) for (const term of query.terms) if (term !== '' && !bits.has(term)) bits.set(term, bits.size);
    if (bits.size > 32) return null;
    if (bits.size === 0) return NO_MATCHES;
    this.prepare();
    const ix = this.ix;
    const fields: ScoredField[] = ix._options.fields.map((field, f) => ({
      id: ix._fieldIds[field] ?? 0,
      // MiniSearch: `getOwnProperty(options.boost, field) || 1`.
      boost: (Object.hasOwn(options.boost, field) ? options.boost[field] : undefined) || 1,
      average: ix._avgFieldLength[ix._fieldIds[field] ?? 0] ?? 0,
      lengths: this.lengths[f] ?? new Float64Array(0),
    }));
    const docsStamp = this.nextStamp();
    if (options.docs !== undefined) for (const doc of options.docs) this.docStamp[doc] = docsStamp;
    const queryStamp = this.nextStamp();
    this.totalList.length = 0;
    /** Every (document term, its data) scored, to list the terms each top result matched. */
    const scored: [string, TermData][] = [];
    const add = (data: TermData | undefined, term: string, termWeight: number, termBoost: number, bit: number, specStamp: number): void => {
      if (data === undefined) return;
      scored.push([term, data]);
      for (const field of fields)
        this.addField(data, field, termWeight * termBoost * field.boost * 1, bit, specStamp, queryStamp, options.docs, docsStamp);
    };

    for (const query of queries) {
      const groupStamp = this.nextStamp();
      this.groupList.length = 0;
      for (const source of query.terms) {
        if (source === '') continue;
        const specStamp = this.nextStamp();
        this.specList.length = 0;
        const bit = 2 ** (bits.get(source) ?? 0);
        const termBoost = options.boostTerm(source);
        // The order of MiniSearch's executeQuerySpec: the term itself, then prefix, then fuzzy matches.
        add(ix._index.get(source), source, 1, termBoost, bit, specStamp);
        let fuzzyMatches: Map<string, [TermData, number]> | undefined;
        if (query.fuzzy) {
          const maxDistance =
            query.fuzzy < 1 ? Math.min(ix._options.searchOptions.maxFuzzy, Math.round(source.length * query.fuzzy)) : query.fuzzy;
          if (maxDistance) fuzzyMatches = ix._index.fuzzyGet(source, maxDistance);
        }
        if (query.prefix) {
          for (const [term, data] of ix._index.atPrefix(source)) {
            const distance = term.length - source.length;
            if (!distance) continue;
            fuzzyMatches?.delete(term);
            add(data, term, (options.weights.prefix * term.length) / (term.length + 0.3 * distance), termBoost, bit, specStamp);
          }
        }
        if (fuzzyMatches !== undefined) {
          for (const [term, [data, distance]] of fuzzyMatches) {
            if (distance) add(data, term, (options.weights.fuzzy * term.length) / (term.length + distance), termBoost, bit, specStamp);
          }
        }
        // MiniSearch ORs a term's results into its group's (the first sets a score, later ones add)...
        merge(this.specList, this.spec, this.groupList, this.group, this.groupStamp, groupStamp);
      }
      // ...and the groups into the query's alike; the order documents first arrive in is its result order.
      merge(this.groupList, this.group, this.totalList, this.total, this.totalStamp, queryStamp);
    }
    return this.best(limit, scored);
  }

  /** Adds one document term's scores in one field to the current term's. */
  private addField(
    data: TermData,
    field: ScoredField,
    factor: number,
    bit: number,
    specStamp: number,
    queryStamp: number,
    docs: Int32Array | undefined,
    docsStamp: number,
  ): void {
    const postings = data.get(field.id);
    if (postings === undefined) return;
    const { k, b, d } = this.ix._options.searchOptions.bm25;
    const matching = postings.size;
    const invDocFreq = Math.log(1 + (this.ix._documentCount - matching + 0.5) / (matching + 0.5));
    const { lengths, average } = field;
    const { spec, specStamp: stamps, mask, maskStamp, docStamp, specList } = this;
    const visit = (doc: number, termFreq: number): void => {
      // MiniSearch's calcBM25Score, then termWeight * termBoost * fieldBoost * docBoost * rawScore.
      const rawScore = invDocFreq * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * (lengths[doc] ?? 0)) / average)));
      const weighted = factor * rawScore;
      if (stamps[doc] !== specStamp) {
        stamps[doc] = specStamp;
        spec[doc] = weighted;
        specList.push(doc);
      } else {
        spec[doc] = (spec[doc] ?? 0) + weighted;
      }
      if (maskStamp[doc] !== queryStamp) {
        maskStamp[doc] = queryStamp;
        mask[doc] = bit;
      } else {
        mask[doc] = (mask[doc] ?? 0) | bit;
      }
    };
    if (docs !== undefined && docs.length < matching) {
      for (const doc of docs) {
        const termFreq = postings.get(doc);
        if (termFreq !== undefined) visit(doc, termFreq);
      }
      return;
    }
    const column = this.column(postings);
    const ids = column.docs;
    const freqs = column.freqs;
    for (let i = 0; i < ids.length; i += 1) {
      const doc = ids[i] ?? 0;
      if (docs === undefined || docStamp[doc] === docsStamp) visit(doc, freqs[i] ?? 0);
    }
  }

  /** The `limit` best documents by score times distinct terms matched; ties keep first-arrival order. */
  private best(limit: number, scored: readonly [string, TermData][]): Match[] {
    const top: { doc: number; score: number }[] = [];
    const { items, length } = this.totalList;
    for (let i = 0; i < length; i += 1) {
      const doc = items[i] ?? 0;
      const score = (this.total[doc] ?? 0) * popcount(this.mask[doc] ?? 0);
      if (top.length === limit && !(score > (top[top.length - 1]?.score ?? 0))) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1]?.score ?? 0) < score) at -= 1;
      top.splice(at, 0, { doc, score });
      if (top.length > limit) top.pop();
    }
    return top.map(({ doc, score }) => {
      const terms = new Set<string>();
      for (const [term, data] of scored) {
        if (terms.has(term)) continue;
        for (const postings of data.values()) {
          if (postings.has(doc)) {
            terms.add(term);
            break;
          }
        }
      }
      return { id: String(this.ix._documentIds.get(doc)), score, terms: [...terms] };
    });
  }
}

/** ORs one result set into another the way MiniSearch's combinator does: set when new, else add. */
function merge(from: DocList, fromScores: Float64Array, into: DocList, intoScores: Float64Array, stamps: Uint32Array, stamp: number): void {
  const { items, length } = from;
  for (let i = 0; i < length; i += 1) {
    const doc = items[i] ?? 0;
    if (stamps[doc] !== stamp) {
      stamps[doc] = stamp;
      intoScores[doc] = fromScores[doc] ?? 0;
      into.push(doc);
    } else {
      intoScores[doc] = (intoScores[doc] ?? 0) + (fromScores[doc] ?? 0);
    }
  }
}
