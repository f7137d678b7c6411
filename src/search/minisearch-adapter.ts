import type MiniSearch from 'minisearch';

/*
 * The one module that reads MiniSearch's private state. MiniSearch 7's public `search()` scores and
 * sorts every matching document and has no top-k; at 100,000 paragraphs that alone misses the
 * bench's 50 ms p99 target (see docs/DESIGN.md). Pinned to minisearch 7.2.0 in package.json, and
 * test/search/adapter.test.ts checks it against MiniSearch's own `search()` results.
 */

/** Number of documents whose `field` (by MiniSearch's field id) contains exactly `term`. */
export function documentFrequency(index: MiniSearch, term: string, fieldId = 0): number {
  const entry = (index as unknown as IndexInternals)._index.get(term);
  return entry?.get(fieldId)?.size ?? 0;
}

/** MiniSearch's internal ids of these documents, ascending, as {@link MatchOptions.docs} takes them. */
export function internalIds(index: MiniSearch, ids: readonly string[]): Int32Array {
  const shortIds = (index as unknown as { _idToShortId: ReadonlyMap<string, number> })._idToShortId;
  return Int32Array.from(ids.flatMap((id) => shortIds.get(id) ?? [])).sort();
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

/** MiniSearch's average length (in terms) of a field over its documents. */
export function averageFieldLength(index: MiniSearch, field: string): number {
  const ix = index as unknown as IndexInternals;
  return ix._avgFieldLength[ix._fieldIds[field] ?? 0] ?? 0;
}

/** The (internal document id, term frequency) postings of an exact term in a field. */
export function postings(index: MiniSearch, term: string, fieldId = 0): ReadonlyMap<number, number> {
  return (index as unknown as IndexInternals)._index.get(term)?.get(fieldId) ?? EMPTY_POSTINGS;
}

const EMPTY_POSTINGS: ReadonlyMap<number, number> = new Map();

/** Every document's external id by MiniSearch's internal id. */
export function externalIds(index: MiniSearch): ReadonlyMap<number, string> {
  return (index as unknown as IndexInternals)._documentIds;
}

/** Up to `limit` index terms that start with `prefix`. */
export function termsWithPrefix(index: MiniSearch, prefix: string, limit: number): string[] {
  const found: string[] = [];
  for (const [term] of (index as unknown as IndexInternals)._index.atPrefix(prefix)) {
    found.push(term);
    if (found.length >= limit) break;
  }
  return found;
}
