import type { Article, Paragraph, Sentence } from '../corpus/types.js';
import { GAZETTEER, type GazetteerEntry } from './gazetteer.js';
import { nameKey, tokenize, type Token } from './tokens.js';
import { LIMITS, truncate } from '../reply/limits.js';
import { KIND_ORDER, type Entity, type EntityKind, type Mention, type Role } from './types.js';
import {
  EVENT_WORDS,
  GEO_WORDS,
  NAME_PARTICLES,
  NOT_ACRONYM_ORGS,
  ORG_WORDS,
  REGNAL_NUMBERS,
  ROLE_MODIFIERS,
  SPEECH_VERBS,
  STOPWORDS,
  WEAK_HEADS,
  isTitleHead,
} from './words.js';

/** Longest name, in tokens, that the scanner tries to match. */
const MAX_NAME_TOKENS = 8;
/** Longest person name, in words, that the rules accept. */
const MAX_PERSON_WORDS = 4;

const OPENING_MARKS = new Set(['“', '‘', '"', "'", '(', '[', ':', '—', '–', '-', '«']);
const APPOSITION_END = new Set([',', ';', '—', '–', '(', ')', '.', '!', '?', ':']);
/** Heads after which "of/at/for X" names the body the person works for. */
const EMPLOYER_HEADS = new Set([
  'executive',
  'ceo',
  'chairman',
  'chairwoman',
  'chairperson',
  'director',
  'founder',
  'co-founder',
  'owner',
  'analyst',
  'researcher',
  'economist',
  'spokesman',
  'spokeswoman',
  'spokesperson',
  'chief',
]);

/** A sentence of the corpus, its tokens, and where it stands. */
interface SentenceContext {
  readonly article: Article;
  readonly paragraph: Paragraph;
  readonly sentence: Sentence;
  /** Kept for pass 2: tokenizing again measured slower than holding them. */
  readonly tokens: readonly Token[];
  /** Words the article writes in lower case somewhere: capitalised only as a sentence's first word. */
  readonly lowerSeen: ReadonlySet<string>;
  /** Position of the sentence in the corpus. */
  readonly order: number;
}

interface RoleStatement extends Role {
  readonly strong: boolean;
  readonly order: number;
}

/** An entry while the corpus is being read. */
interface Draft {
  readonly key: string;
  readonly name: string;
  kind: EntityKind;
  readonly origin: 'text' | 'gazetteer' | 'front matter';
  readonly roles: RoleStatement[];
  overrideRole: RoleStatement | null;
  /** Other names that name it in text (gazetteer and front-matter aliases), shown as aliases too. */
  readonly names: string[];
  /** Adjective forms and such, shown as aliases but matched as demonyms. */
  readonly shown: string[];
  /** Token keys of the forms pass 1 met it in ("donald j trump"). */
  readonly keys: Set<string>;
  readonly demonyms: readonly string[];
  readonly weak: ReadonlySet<string>;
  /** Articles whose text introduced it (persons: scope for resolving a surname alone). */
  readonly articles: Set<string>;
  /** Persons without a title: whether anything besides capitals says it is a person. */
  evidence: boolean;
  titled: boolean;
  forced: boolean;
}

type How = 'name' | 'demonym' | 'part';

interface Target {
  readonly draft: Draft;
  readonly how: How;
  /** An all-capital short alias ("US", "UN", "WHO"): the text must write it in capitals too. */
  readonly exactCase: boolean;
}

interface Hit {
  readonly from: number;
  readonly to: number;
  readonly targets: readonly Target[];
}

function newDraft(name: string, kind: EntityKind, origin: Draft['origin'], key = nameKey(name)): Draft {
  return {
    key,
    name,
    kind,
    origin,
    roles: [],
    overrideRole: null,
    names: [],
    shown: [],
    keys: new Set(),
    demonyms: [],
    weak: new Set(),
    articles: new Set(),
    evidence: false,
    titled: false,
    forced: false,
  };
}

/** Names (as keys) to the entries they may refer to. */
class NameIndex {
  private readonly map = new Map<string, Target[]>();
  /** Every word-prefix of every key: the scanner stops extending a match as soon as none can follow. */
  private readonly prefixes = new Set<string>();

  add(key: string, target: Target): void {
    if (key === '') return;
    const list = this.map.get(key);
    if (list === undefined) this.map.set(key, [target]);
    else if (!list.some((t) => t.draft === target.draft && t.how === target.how)) list.push(target);
    for (let at = key.indexOf(' '); at !== -1; at = key.indexOf(' ', at + 1)) this.prefixes.add(key.slice(0, at));
    this.prefixes.add(key);
  }

  addName(text: string, draft: Draft, how: How): void {
    const letters = text.replace(/[^\p{L}]/gu, '');
    // "US", "U.N.", "WHO": short capitals are words too ("us", "Un", "who") unless written in capitals.
    const exactCase = letters.length >= 2 && letters.length <= 3 && letters === letters.toUpperCase();
    this.add(nameKey(text), { draft, how, exactCase });
  }

  get(key: string): readonly Target[] | undefined {
    return this.map.get(key);
  }

  /** Whether some key starts with these words. */
  hasPrefix(key: string): boolean {
    return this.prefixes.has(key);
  }
}

function gazetteerDraft(entry: GazetteerEntry): Draft {
  const draft: Draft = { ...newDraft(entry.name, entry.kind, 'gazetteer'), demonyms: entry.demonyms, weak: entry.weak };
  draft.names.push(...entry.aliases);
  draft.shown.push(...entry.demonyms);
  return draft;
}

function isNameLike(token: Token | undefined): boolean {
  return token !== undefined && token.nameLike;
}

function isSentenceInitial(tokens: readonly Token[], i: number): boolean {
  for (let k = i - 1; k >= 0; k -= 1) {
    const token = tokens[k];
    if (token === undefined) break;
    if (token.word) return false;
    if (!OPENING_MARKS.has(token.text)) return false;
  }
  return true;
}

/** A capitalised first word that is an ordinary word ("However", "Border"), not a name. */
function isCommonOpening(ctx: SentenceContext, i: number): boolean {
  const token = ctx.tokens[i];
  if (token === undefined || !isSentenceInitial(ctx.tokens, i)) return false;
  return STOPWORDS.has(token.key) || ctx.lowerSeen.has(token.key);
}

function isTitleAbbreviationDot(tokens: readonly Token[], i: number): boolean {
  const before = tokens[i - 1];
  return tokens[i]?.text === '.' && before !== undefined && before.titleHead && before.key.length <= 4;
}

/**
 * Scans a sentence for known names, longest first. Returns the hits and, per token, whether a hit
 * covers it. `resolvePart` picks the person a lone first name or surname means, or null.
 */
function scan(
  tokens: readonly Token[],
  index: NameIndex,
  resolvePart: (key: string, targets: readonly Target[]) => Target | null,
): { hits: Hit[]; covered: Uint8Array } {
  const hits: Hit[] = [];
  const covered = new Uint8Array(tokens.length);
  for (let i = 0; i < tokens.length; i += 1) {
    const first = tokens[i];
    if (first === undefined || !first.word || !first.capitalised || !index.hasPrefix(first.key)) continue;
    let best: Hit | null = null;
    let key = '';
    for (let n = 1; n <= MAX_NAME_TOKENS && i + n <= tokens.length; n += 1) {
      const token = tokens[i + n - 1];
      if (token === undefined || !token.word) break;
      key = n === 1 ? token.key : `${key} ${token.key}`;
      if (!index.hasPrefix(key)) break;
      const targets = index.get(key);
      if (targets === undefined) continue;
      const [only] = targets;
      // Most keys name one entry: skip the filtering arrays then.
      const usable =
        targets.length === 1 && only !== undefined && only.how !== 'part'
          ? usableAt(only, tokens, i, n, covered)
            ? targets
            : []
          : chooseTargets(
              key,
              targets.filter((t) => usableAt(t, tokens, i, n, covered)),
              resolvePart,
            );
      if (usable.length > 0) best = { from: i, to: i + n, targets: usable };
    }
    if (best === null) continue;
    hits.push(best);
    covered.fill(1, best.from, best.to);
    i = best.to - 1;
  }
  return { hits, covered };
}

function usableAt(target: Target, tokens: readonly Token[], i: number, n: number, covered: Uint8Array): boolean {
  const token = tokens[i];
  if (token === undefined) return false;
  if (target.exactCase && !(n === 1 && token.acronym)) return false;
  if (target.how === 'part' && (n !== 1 || token.acronym)) return false;
  if (n === 1 && (target.how === 'part' || target.draft.weak.has(token.key))) {
    // "Victoria Nuland", "George Washington": a capital or country that is also a name counts only alone;
    // so does a first name or surname ("Mark" of "Mark Milley" is not the "Mark" of "Mark Rutte").
    const left = tokens[i - 1];
    const right = tokens[i + 1];
    if (left !== undefined && !left.possessive && covered[i - 1] !== 1 && isNameLike(left) && !isSentenceInitialCommon(tokens, i - 1))
      return false;
    if (!token.possessive && right !== undefined && isNameLike(right)) return false;
  }
  return true;
}

function isSentenceInitialCommon(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i];
  return token !== undefined && isSentenceInitial(tokens, i) && STOPWORDS.has(token.key);
}

/** Full names beat adjective forms, which beat a lone first name or surname. */
function chooseTargets(
  key: string,
  targets: readonly Target[],
  resolvePart: (key: string, targets: readonly Target[]) => Target | null,
): Target[] {
  const names = targets.filter((t) => t.how === 'name');
  if (names.length > 0) return names;
  const demonyms = targets.filter((t) => t.how === 'demonym');
  if (demonyms.length > 0) return demonyms;
  const part = targets.length > 0 ? resolvePart(key, targets) : null;
  return part === null ? [] : [part];
}

/** The unmatched capitalised runs of a sentence, joined over name particles, "of" and "Gen.". */
function leftoverRuns(tokens: readonly Token[], covered: Uint8Array): [number, number][] {
  const free = (k: number): boolean => {
    const token = tokens[k];
    return token !== undefined && token.word && token.capitalised && covered[k] !== 1;
  };
  const runs: [number, number][] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!free(i)) {
      i += 1;
      continue;
    }
    const start = i;
    let end = i + 1;
    for (;;) {
      if (tokens[end - 1]?.possessive) break;
      if (free(end)) {
        end += 1;
        continue;
      }
      const next = tokens[end];
      if (next === undefined) break;
      let after = end + 1;
      const joins =
        (next.word && !next.capitalised && (NAME_PARTICLES.has(next.key) || next.key === 'of')) || isTitleAbbreviationDot(tokens, end);
      if (!joins) break;
      if (next.key === 'of' && tokens[after]?.key === 'the') after += 1;
      if (!free(after)) break;
      end = after + 1;
    }
    runs.push([start, end]);
    i = end;
  }
  return runs;
}

function statement(ctx: SentenceContext, text: string, strong: boolean): RoleStatement {
  return { text, article: ctx.article.id, paragraph: ctx.paragraph.number, sentence: ctx.sentence.text, strong, order: ctx.order };
}

/** The role phrase ending at the title head `h`: "former U.S. President", "North Korean leader". */
function roleBefore(ctx: SentenceContext, h: number, last = h): RoleStatement | null {
  const { tokens } = ctx;
  const head = tokens[h];
  // "Gen." and "Dr." keep their period.
  const end = isTitleAbbreviationDot(tokens, last + 1) ? tokens[last + 1] : tokens[last];
  if (head === undefined || end === undefined) return null;
  let start = h;
  for (let k = h - 1; k >= 0 && h - k <= 7; k -= 1) {
    const token = tokens[k];
    if (token === undefined || !token.word) break;
    if (token.capitalised) {
      if (STOPWORDS.has(token.key) || isCommonOpening(ctx, k)) break;
    } else if (!ROLE_MODIFIERS.has(token.key) && !token.titleHead) {
      break;
    }
    start = k;
  }
  const first = tokens[start];
  if (first === undefined) return null;
  return statement(ctx, ctx.sentence.text.slice(first.start, end.end), !WEAK_HEADS.has(head.key));
}

interface Apposition {
  /** Present when the phrase names a position ("chief executive of …"), not just a relation ("the sister of …"). */
  readonly role: RoleStatement | null;
  readonly employer: [number, number] | null;
}

/**
 * What is said in apposition after a name ending at token `end`: "Ingrid Larsen, chief executive of
 * Nordvik Industries, said", "Kim Yo Jong, the sister of Kim Jong Un, said". Null when the comma
 * does not open a description of a person. Also reports the body named after "of/at/for" a job.
 */
function appositionAfter(ctx: SentenceContext, end: number): Apposition | null {
  const { tokens } = ctx;
  let k = end;
  for (let segment = 0; segment < 2; segment += 1) {
    if (tokens[k]?.text !== ',') return null;
    const from = k + 1;
    let to = from;
    while (to < tokens.length && to - from < 14 && !APPOSITION_END.has(tokens[to]?.text ?? '')) to += 1;
    const phrase = tokens.slice(from, to);
    // "Larsen, 54, chief executive of …": skip an age.
    if (phrase.length === 1 && /^\d+$/.test(phrase[0]?.text ?? '')) {
      k = to;
      continue;
    }
    let s = from;
    while (s < to && ['a', 'an', 'the'].includes(tokens[s]?.key ?? '')) s += 1;
    const lead = tokens[s];
    if (lead === undefined || s >= to) return null;
    const leadOk = lead.capitalised || lead.possessive || ROLE_MODIFIERS.has(lead.key) || lead.titleHead;
    const head = phrase.findIndex((t) => !t.capitalised && t.titleHead);
    const headToken = phrase[head];
    const last = tokens[to - 1];
    if (!leadOk || headToken === undefined || last === undefined) {
      // No position named, but "X, the sister of Y, said" or "X, who …" still describes a person.
      const relative = lead.key === 'who' || lead.key === 'whose';
      const spoke = tokens[to]?.text === ',' && SPEECH_VERBS.has(tokens[to + 1]?.key ?? '');
      return relative || (s > from && spoke) ? { role: null, employer: null } : null;
    }
    const role = statement(ctx, ctx.sentence.text.slice(lead.start, last.end), !WEAK_HEADS.has(headToken.key));
    let employer: [number, number] | null = null;
    if (EMPLOYER_HEADS.has(headToken.key.replace(/ /g, '-'))) {
      const of = phrase.findIndex((t, i) => i > head && ['of', 'at', 'for'].includes(t.key));
      if (of !== -1) {
        let e = from + of + 1;
        if (tokens[e]?.key === 'the') e += 1;
        if (e < to && tokens.slice(e, to).every((t) => t.word && (t.capitalised || NAME_PARTICLES.has(t.key)))) employer = [e, to];
      }
    }
    return { role, employer };
  }
  return null;
}

/** Reads the corpus and returns the directory's entries. */
export function extractEntities(articles: readonly Article[]): Entity[] {
  const gazetteer = GAZETTEER.map(gazetteerDraft);
  const gazetteerIndex = new NameIndex();
  const gazetteerKeys = new Set<string>();
  for (const draft of gazetteer) {
    for (const name of [draft.name, ...draft.names, ...draft.demonyms]) gazetteerKeys.add(nameKey(name));
    indexDraft(gazetteerIndex, draft);
  }

  // Pass 1: find the people and bodies the text introduces.
  const contexts: SentenceContext[] = [];
  const discovered = new Discovery(gazetteerKeys);
  for (const article of articles) {
    const first = contexts.length;
    const lowerSeen = new Set<string>();
    for (const paragraph of article.paragraphs) {
      for (const sentence of paragraph.sentences) {
        const tokens = tokenize(sentence.text);
        for (const token of tokens) if (token.lower) lowerSeen.add(token.key);
        contexts.push({ article, paragraph, sentence, tokens, lowerSeen, order: contexts.length });
      }
    }
    for (const ctx of contexts.slice(first)) {
      const { hits, covered } = scan(ctx.tokens, gazetteerIndex, () => null);
      for (const run of leftoverRuns(ctx.tokens, covered)) discovered.run(ctx, run, hits);
    }
  }
  const drafts = [...gazetteer, ...discovered.finish()];
  applyOverrides(articles, drafts);

  // Pass 2: every sentence that names each entry, now that all names are known.
  return resolveMentions(contexts, drafts);
}

function indexDraft(index: NameIndex, draft: Draft): void {
  index.addName(draft.name, draft, 'name');
  for (const name of draft.names) index.addName(name, draft, 'name');
  for (const key of draft.keys) index.add(key, { draft, how: 'name', exactCase: false });
  for (const demonym of draft.demonyms) index.addName(demonym, draft, 'demonym');
}

/** The words of a person's name that stand for the person alone: first name, surname, each half of a double surname. */
function nameParts(draft: Draft): string[] {
  const words = draft.key.split(' ');
  const parts = new Set<string>();
  if (words.length < 2) return [];
  const first = words[0];
  if (first !== undefined) parts.add(first);
  // The last written word, whole ("ramirez ortega") and by halves.
  const lastWritten = draft.name.split(/\s+/).pop() ?? '';
  const lastKey = nameKey(lastWritten);
  parts.add(lastKey);
  for (const half of lastKey.split(' ')) parts.add(half);
  return [...parts].filter(
    (part) => part.replace(/ /g, '').length >= 3 && !STOPWORDS.has(part) && !isTitleHead(part) && part !== draft.key,
  );
}

/** Pass 1's findings, merged by name. */
class Discovery {
  private readonly persons = new Map<string, Draft>();
  private readonly bodies = new Map<string, Draft>();
  /** Per article, the single capitalised words it uses alone: "Larsen said" after "Erik Larsen". */
  private readonly singles = new Map<string, Set<string>>();

  constructor(private readonly gazetteerKeys: ReadonlySet<string>) {}

  run(ctx: SentenceContext, [from, to]: [number, number], hits: readonly Hit[]): void {
    const { tokens } = ctx;
    if (this.titled(ctx, from, to)) return;

    let start = from;
    while (start < to && (isCommonOpening(ctx, start) || !tokens[start]?.word)) start += 1;
    if (start >= to) return;
    const words = tokens.slice(start, to);
    if (words.some((t) => EVENT_WORDS.has(t.key))) return;

    const orgWord = words.findLastIndex((t) => t.capitalised && ORG_WORDS.has(t.key));
    if (orgWord !== -1) {
      let s = start;
      for (let k = start; k < start + orgWord; k += 1) if (tokens[k]?.possessive) s = k + 1;
      // "Norwegian Energy Agency", "Chilean Senate": the adjective before belongs to the name.
      const before = hits.find((hit) => hit.to === s && hit.targets.some((t) => t.how === 'demonym'));
      if (before !== undefined) s = before.from;
      if (to - s >= 2) this.body(ctx, s, to, 'organization');
      return;
    }
    if (words.length >= 2 && words.some((t) => GEO_WORDS.has(t.key))) {
      this.body(ctx, start, to, 'place');
      return;
    }
    if (words.length === 1) {
      const [word] = words;
      if (word === undefined) return;
      if (word.acronym && !NOT_ACRONYM_ORGS.has(word.key) && word.key.length >= 2) this.body(ctx, start, to, 'organization');
      else if (isNameLike(word)) this.single(ctx.article.id).add(word.key);
      return;
    }
    // A run split at "of" may hold several names; each 2–4 word part can be a person.
    let s = start;
    for (let k = start; k <= to; k += 1) {
      if (k < to && tokens[k]?.key !== 'of') continue;
      this.untitledPerson(ctx, s, k);
      s = k + 1;
    }
  }

  /** "President Vladimir Putin", "North Korean leader Kim Jong Un", "Minister Shoigu". */
  private titled(ctx: SentenceContext, from: number, to: number): boolean {
    const { tokens } = ctx;
    let head = -1;
    let nameStart = -1;
    for (let h = to - 2; h >= from; h -= 1) {
      const next = isTitleAbbreviationDot(tokens, h + 1) ? h + 2 : h + 1;
      if (tokens[h]?.titleHead === true && next < to && isNameLike(tokens[next])) {
        head = h;
        nameStart = next;
        break;
      }
    }
    let roleEnd = -1;
    // "Secretary of State Antony Blinken", "Minister of Foreign Affairs José Ramírez-Ortega": the office
    // runs on after "of"; take the last two words as the name.
    const office = head === -1 ? tokens.slice(from, to).findIndex((t, i) => t.titleHead && tokens[from + i + 1]?.key === 'of') : -1;
    if (office !== -1) {
      const capitals: number[] = [];
      for (let k = from + office + 2; k < to; k += 1) if (tokens[k]?.capitalised && !tokens[k]?.initial) capitals.push(k);
      const first = capitals.at(-2);
      if (capitals.length >= 3 && first !== undefined && isNameLike(tokens[first]) && isNameLike(tokens[to - 1])) {
        head = from + office;
        nameStart = first;
        roleEnd = first - 1;
      }
    }
    if (head === -1) {
      const before = tokens[from - 1];
      if (before === undefined || !before.word || before.capitalised || !before.titleHead || !isNameLike(tokens[from])) return false;
      head = from - 1;
      nameStart = from;
    }
    let end = nameStart;
    let words = 0;
    while (end < to && words < MAX_PERSON_WORDS) {
      const token = tokens[end];
      if (token === undefined) break;
      if (NAME_PARTICLES.has(token.key) && !token.capitalised && words > 0) {
        end += 1;
        continue;
      }
      // "Queen Elizabeth II": a regnal number ends the name.
      const regnal = words > 0 && token.acronym && REGNAL_NUMBERS.has(token.key);
      if (!isNameLike(token) && !regnal) break;
      end += 1;
      if (!token.initial) words += 1;
      if (token.possessive || regnal) break;
    }
    while (end > nameStart && !tokens[end - 1]?.capitalised) end -= 1;
    if (words === 0) return false;
    const person = this.person(ctx, nameStart, end);
    if (person === null) return true;
    person.titled = true;
    const role = roleBefore(ctx, head, roleEnd === -1 ? head : roleEnd);
    if (role !== null) person.roles.push(role);
    return true;
  }

  private untitledPerson(ctx: SentenceContext, from: number, to: number): void {
    const { tokens } = ctx;
    const span = tokens.slice(from, to);
    const words = span.filter((t) => !t.initial && !NAME_PARTICLES.has(t.key));
    if (words.length < 2 || words.length > MAX_PERSON_WORDS) return;
    if (!span.every((t) => isNameLike(t) || (NAME_PARTICLES.has(t.key) && !t.capitalised))) return;
    if (span.slice(0, -1).some((t) => t.possessive)) return;
    const apposition = span.at(-1)?.possessive ? null : appositionAfter(ctx, to);
    const after = tokens[to];
    const before = tokens[from - 1];
    const evidence =
      apposition !== null ||
      (after !== undefined && SPEECH_VERBS.has(after.key)) ||
      (before !== undefined && SPEECH_VERBS.has(before.key)) ||
      (before?.key === 'to' && tokens[from - 2]?.key === 'according');
    const person = this.person(ctx, from, to);
    if (person === null) return;
    if (evidence) person.evidence = true;
    if (apposition?.role) person.roles.push(apposition.role);
    if (apposition !== null) {
      if (apposition.employer !== null) this.body(ctx, apposition.employer[0], apposition.employer[1], 'organization');
    }
  }

  private person(ctx: SentenceContext, from: number, to: number): Draft | null {
    const span = ctx.tokens.slice(from, to);
    const first = span[0];
    const last = span.at(-1);
    if (first === undefined || last === undefined) return null;
    const key = span
      .filter((t) => !t.initial)
      .map((t) => t.key)
      .join(' ');
    if (this.gazetteerKeys.has(key)) return null;
    const written = ctx.sentence.text.slice(first.start, last.end);
    let draft = this.persons.get(key);
    if (draft === undefined) {
      draft = newDraft(written, 'person', 'text', key);
      this.persons.set(key, draft);
    }
    draft.keys.add(span.map((t) => t.key).join(' '));
    draft.articles.add(ctx.article.id);
    return draft;
  }

  private body(ctx: SentenceContext, from: number, to: number, kind: EntityKind): void {
    const first = ctx.tokens[from];
    const last = ctx.tokens[to - 1];
    if (first === undefined || last === undefined) return;
    const name = ctx.sentence.text.slice(first.start, last.end);
    const key = nameKey(name);
    if (key === '' || this.gazetteerKeys.has(key)) return;
    let draft = this.bodies.get(key);
    if (draft === undefined) {
      draft = newDraft(name, kind, 'text', key);
      this.bodies.set(key, draft);
    }
    draft.articles.add(ctx.article.id);
  }

  private single(article: string): Set<string> {
    let set = this.singles.get(article);
    if (set === undefined) {
      set = new Set();
      this.singles.set(article, set);
    }
    return set;
  }

  /** The persons worth listing, a title-only surname ("Minister Shoigu") merged into its full name. */
  finish(): Draft[] {
    const persons: Draft[] = [];
    const singles: Draft[] = [];
    for (const draft of this.persons.values()) {
      if (this.bodies.has(draft.key)) continue;
      if (draft.key.includes(' ')) persons.push(draft);
      else if (draft.titled) singles.push(draft);
    }
    const kept = persons.filter((draft) => {
      if (draft.titled || draft.evidence || draft.roles.length > 0) return true;
      const parts = nameParts(draft);
      return [...draft.articles].some((article) => parts.some((part) => this.singles.get(article)?.has(part)));
    });
    const byPart = new Map<string, Draft[]>();
    for (const draft of kept) {
      for (const part of nameParts(draft)) {
        const list = byPart.get(part);
        if (list === undefined) byPart.set(part, [draft]);
        else list.push(draft);
      }
    }
    for (const single of singles) {
      const owners = byPart.get(single.key) ?? [];
      const local = owners.filter((d) => [...single.articles].some((a) => d.articles.has(a)));
      const owner = local.length === 1 ? local[0] : local.length === 0 && owners.length === 1 ? owners[0] : undefined;
      if (owner !== undefined) owner.roles.push(...single.roles);
      // Several people share the surname: pass 2 attributes each mention to the one named last.
      else if (owners.length === 0) kept.push(single);
    }
    for (const draft of kept) draft.roles.sort((a, b) => a.order - b.order);
    return [...kept, ...this.bodies.values()];
  }
}

/** Front matter `entities`: correct an entry's kind or role, add aliases, or add a name the rules missed. */
function applyOverrides(articles: readonly Article[], drafts: Draft[]): void {
  for (const article of articles) {
    for (const override of article.entities) {
      const key = nameKey(override.name);
      let draft =
        drafts.find((d) => d.key === key) ??
        drafts.find((d) => d.keys.has(key) || d.names.some((name) => nameKey(name) === key)) ??
        drafts.find((d) => d.kind === 'person' && d.articles.has(article.id) && nameParts(d).includes(key));
      if (draft === undefined) {
        draft = newDraft(override.name, override.kind ?? 'person', 'front matter');
        drafts.push(draft);
      }
      draft.forced = true;
      draft.articles.add(article.id);
      if (override.kind !== undefined) draft.kind = override.kind;
      for (const alias of override.aliases ?? []) if (!draft.names.includes(alias)) draft.names.push(alias);
      if (override.role !== undefined) draft.overrideRole = locateRole(article, override.role);
    }
  }
}

/** Attributes a front-matter role to the first sentence of the article that states it, if any. */
function locateRole(article: Article, text: string): RoleStatement {
  const wanted = nameKey(text);
  for (const paragraph of article.paragraphs) {
    for (const sentence of paragraph.sentences) {
      if (` ${nameKey(sentence.text)} `.includes(` ${wanted} `)) {
        return { text, article: article.id, paragraph: paragraph.number, sentence: sentence.text, strong: true, order: 0 };
      }
    }
  }
  return { text, article: article.id, paragraph: 0, sentence: '', strong: true, order: 0 };
}

interface Found {
  readonly draft: Draft;
  /** A name, not just an adjective: enough to list a gazetteer entry. */
  readonly naming: boolean;
}

function resolveMentions(contexts: readonly SentenceContext[], drafts: readonly Draft[]): Entity[] {
  const index = new NameIndex();
  for (const draft of drafts) {
    indexDraft(index, draft);
    if (draft.kind === 'person') for (const part of nameParts(draft)) index.add(part, { draft, how: 'part', exactCase: false });
  }

  const mentions = new Map<Draft, Mention[]>();
  const sentenceSets: Draft[][] = [];
  const named = new Set<Draft>();
  const seenForms = new Map<Draft, Set<string>>();
  let recent = new Map<string, Draft>();
  let currentArticle = '';

  for (const ctx of contexts) {
    if (ctx.article.id !== currentArticle) {
      currentArticle = ctx.article.id;
      recent = new Map();
    }
    const articleId = ctx.article.id;
    const resolvePart = (key: string, targets: readonly Target[]): Target | null => {
      const last = recent.get(key);
      if (last !== undefined) return targets.find((t) => t.draft === last) ?? null;
      const local = targets.filter((t) => t.draft.articles.has(articleId));
      if (local.length === 1) return local[0] ?? null;
      return local.length === 0 && targets.length === 1 ? (targets[0] ?? null) : null;
    };
    const { hits } = scan(ctx.tokens, index, resolvePart);
    const found: Found[] = [];
    for (const hit of hits) {
      for (const target of hit.targets) {
        found.push({ draft: target.draft, naming: target.how !== 'demonym' });
        const first = ctx.tokens[hit.from];
        const last = ctx.tokens[hit.to - 1];
        if (target.draft.kind === 'person' && first !== undefined && last !== undefined) {
          const written = ctx.sentence.text.slice(first.start, last.end);
          let forms = seenForms.get(target.draft);
          if (forms === undefined) seenForms.set(target.draft, (forms = new Set()));
          forms.add(written);
          for (const part of nameParts(target.draft))
            if (target.how === 'name' || part === nameKey(written)) recent.set(part, target.draft);
        }
      }
    }
    // "Soviet-era", "Kremlin-backed": the head of an adjective compound mentions what it names.
    for (const token of ctx.tokens) {
      if (token.compoundHead === null) continue;
      for (const target of index.get(token.compoundHead) ?? [])
        if (target.how !== 'part') found.push({ draft: target.draft, naming: false });
    }
    const inSentence = [...new Set(found.map((f) => f.draft))];
    for (const f of found) if (f.naming) named.add(f.draft);
    for (const draft of inSentence) {
      let list = mentions.get(draft);
      if (list === undefined) mentions.set(draft, (list = []));
      list.push({ article: articleId, paragraph: ctx.paragraph.number, sentence: ctx.sentence.text });
    }
    sentenceSets.push(inSentence);
  }

  const listed = drafts.filter((d) => d.forced || (d.origin === 'gazetteer' ? named.has(d) : true));
  return toEntities(listed, mentions, sentenceSets, seenForms);
}

function slug(name: string): string {
  return nameKey(name).replace(/ /g, '-') || 'entry';
}

function toEntities(
  listed: readonly Draft[],
  mentions: ReadonlyMap<Draft, Mention[]>,
  sentenceSets: readonly Draft[][],
  seenForms: ReadonlyMap<Draft, Set<string>>,
): Entity[] {
  const included = new Set(listed);
  const firstSeen = new Map<Draft, number>();
  sentenceSets.forEach((set, order) => {
    for (const draft of set) if (!firstSeen.has(draft)) firstSeen.set(draft, order);
  });
  const ordered = [...listed].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (firstSeen.get(a) ?? Infinity) - (firstSeen.get(b) ?? Infinity),
  );

  const ids = new Map<Draft, string>();
  const used = new Set<string>();
  for (const draft of ordered) {
    const base = slug(draft.name);
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    ids.set(draft, id);
  }

  const together = new Map<Draft, Map<Draft, number>>();
  for (const set of sentenceSets) {
    const present = set.filter((d) => included.has(d));
    for (const a of present) {
      let counts = together.get(a);
      if (counts === undefined) together.set(a, (counts = new Map<Draft, number>()));
      for (const b of present) if (a !== b) counts.set(b, (counts.get(b) ?? 0) + 1);
    }
  }

  return ordered.map((draft): Entity => {
    const name = fitName(draft.name);
    const role = draft.overrideRole ?? draft.roles.find((r) => r.strong) ?? draft.roles[0] ?? null;
    const aliases: string[] = [];
    const seenAlias = new Set([name]);
    for (const alias of [...draft.names, ...draft.shown, ...(seenForms.get(draft) ?? [])]) {
      const clean = fitName(alias);
      if (seenAlias.has(clean)) continue;
      seenAlias.add(clean);
      aliases.push(clean);
    }
    const appearsWith = [...(together.get(draft) ?? new Map<Draft, number>())]
      .map(([other, count]) => ({ id: ids.get(other) ?? '', name: fitName(other.name), count }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    return {
      id: ids.get(draft) ?? slug(draft.name),
      name,
      kind: draft.kind,
      role: role === null ? null : { text: role.text, article: role.article, paragraph: role.paragraph, sentence: role.sentence },
      aliases,
      mentions: mentions.get(draft) ?? [],
      appearsWith,
    };
  });
}

/** A name as short as an autocomplete choice must be; no real name comes close. */
function fitName(text: string): string {
  return truncate(text, LIMITS.choiceName);
}
