import type { Article } from '../corpus/types.js';
import { GAZETTEER } from '../entities/gazetteer.js';
import { isTitleHead } from '../entities/words.js';
import type { Directory, Entity, EntityKind } from '../entities/index.js';
import { STOP_WORDS } from '../search/stopwords.js';
import { fold } from '../text/fold.js';
import { findQuantities, type QuantityKind } from './numbers.js';

/** What a blank can hold: a person, place or organisation, or a kind of number or date. */
export type FactKind = EntityKind | QuantityKind;

/** One thing a sentence states that a quiz can blank: where it stands, and what it is. */
export interface Fact {
  readonly kind: FactKind;
  readonly paragraph: number;
  /** Index of the sentence in its paragraph. */
  readonly sentenceIndex: number;
  readonly sentence: string;
  /** The blanked span in the sentence. */
  readonly start: number;
  readonly end: number;
  /** What an option shows for it: the entity's name, or the quantity as written. */
  readonly answer: string;
  /** Two facts with the same key are the same answer (one entity, one value). */
  readonly key: string;
}

/** A value of the reading that can stand as an option: every fact of one key, shown one way. */
export interface Value {
  readonly kind: FactKind;
  readonly key: string;
  readonly answer: string;
  /** The ways the reading writes it (an entity's names; a quantity's spellings), for the checks. */
  readonly forms: readonly string[];
}

const DEMONYMS = new Set(GAZETTEER.flatMap((entry) => entry.demonyms.map((d) => fold(d))));
const ACRONYM = /^(?:\p{Lu}\.?){2,}$/u;

/** Content words of a text, folded: what "a word in the sentence" means for distractors. */
export function contentWords(text: string): Set<string> {
  const words = fold(text).match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  return new Set(words.map((w) => w.replace(/'s$/, '')).filter((w) => !STOP_WORDS.has(w)));
}

/**
 * The names under which an entity may be blanked. A person by any name the text gives them; a place or
 * body by its name or an acronym, never by a demonym or a capital ("Russian", "Moscow" do not mean
 * "Russia" in a sentence), since the option shows the name.
 */
export function blankForms(entity: Entity): string[] {
  const names = [entity.name, ...entity.aliases].filter((form) => form.trim() !== '' && !/^the\s/i.test(form));
  if (entity.kind === 'person') return [...new Set(names)];
  const nameWords = contentWords(entity.name);
  return [
    ...new Set(
      names.filter((form) => {
        if (DEMONYMS.has(fold(form))) return false;
        if (form === entity.name || ACRONYM.test(form)) return true;
        const words = contentWords(form);
        return [...nameWords].every((word) => words.has(word));
      }),
    ),
  ];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;

/**
 * Where `form` stands in `sentence` as whole words (a possessive may follow), or -1. Found with
 * `indexOf` and a look at the characters around it: a regular expression per form would be compiled
 * for every name of every article, which costs more than all the matching.
 */
export function findForm(sentence: string, form: string): number {
  if (form === '') return -1;
  for (let at = sentence.indexOf(form); at >= 0; at = sentence.indexOf(form, at + 1)) {
    const before = sentence[at - 1];
    const after = sentence[at + form.length];
    if (before !== undefined && (before === '.' || WORD_CHAR.test(before))) continue;
    if (after !== undefined && WORD_CHAR.test(after)) continue;
    const next = sentence[at + form.length + 1];
    if (after === '.' && next !== undefined && LETTER.test(next)) continue;
    return at;
  }
  return -1;
}

/**
 * Whether a span sits inside a longer capitalised name ("German New ____", "____ Basin"), where
 * blanking it would ask for a fragment: a capitalised word right after it, or right before it unless
 * that word opens the sentence or is a title ("President ____").
 */
function insideLongerName(sentence: string, start: number, end: number): boolean {
  const after = /^(?:['’]s)?[ \u00a0]+(\p{Lu}[\p{L}\p{M}]*)/u.exec(sentence.slice(end));
  if (after) return true;
  const before = /(?:^|[ \u00a0(“"])(\p{Lu}[\p{L}\p{M}.]*)[ \u00a0]+$/u.exec(sentence.slice(0, start));
  if (!before?.[1]) return false;
  const opensSentence = sentence.slice(0, start - before[0].length + (/^[ \u00a0(“"]/u.test(before[0]) ? 1 : 0)).trim() === '';
  return !opensSentence && !isTitleHead(fold(before[1]).replace(/\.$/, ''));
}

/** The people, places and bodies of one article, each with how often it is named there. */
export function articleEntities(directory: Directory, article: Article): { entity: Entity; mentions: number }[] {
  const out: { entity: Entity; mentions: number }[] = [];
  for (const entity of directory.entries) {
    const mentions = entity.mentions.filter((mention) => mention.article === article.id).length;
    if (mentions > 0) out.push({ entity, mentions });
  }
  return out;
}

const GAZETTEER_NAMES = new Set(GAZETTEER.map((entry) => fold(entry.name)));

/**
 * The entries of an article the study tools use: all but bodies known only by a bare acronym the
 * gazetteer does not list, which in technical writing are mostly terms ("MHC", "CD4"), not bodies.
 */
export function studyEntities(directory: Directory, article: Article): { entity: Entity; mentions: number }[] {
  return articleEntities(directory, article).filter(
    ({ entity }) =>
      !(entity.kind === 'organization' && ACRONYM.test(entity.name.replace(/\d/g, 'X')) && !GAZETTEER_NAMES.has(fold(entity.name))),
  );
}

/**
 * Every fact of an article a quiz can blank, in reading order: each name of an entity where the
 * directory has the entity in that sentence (so a surname two people share is blanked only for the
 * one it means), and each number and date.
 */
export function findFacts(article: Article, directory: Directory): { facts: Fact[]; values: Value[] } {
  const facts: Fact[] = [];
  const values = new Map<string, { kind: FactKind; key: string; answer: string; forms: Set<string> }>();
  const entities = studyEntities(directory, article).map(({ entity }) => ({
    entity,
    forms: blankForms(entity).sort((a, b) => b.length - a.length),
    sentences: new Set(entity.mentions.filter((m) => m.article === article.id).map((m) => `${m.paragraph}\u0000${m.sentence}`)),
  }));
  // A form two entities share (a common surname) would blank an ambiguous span.
  const formOwners = new Map<string, number>();
  for (const { forms } of entities) for (const form of forms) formOwners.set(fold(form), (formOwners.get(fold(form)) ?? 0) + 1);
  for (const { entity } of entities) {
    // Every name counts when ruling a distractor out, demonyms and capitals too.
    values.set(`e:${entity.id}`, {
      kind: entity.kind,
      key: `e:${entity.id}`,
      answer: entity.name,
      forms: new Set([entity.name, ...entity.aliases]),
    });
  }
  // Which entities each sentence names, looked up once per sentence rather than once per entity.
  const bySentence = new Map<string, typeof entities>();
  for (const item of entities) {
    for (const key of item.sentences) {
      const list = bySentence.get(key);
      if (list) list.push(item);
      else bySentence.set(key, [item]);
    }
  }
  for (const paragraph of article.paragraphs) {
    for (const sentence of paragraph.sentences) {
      const taken: [number, number][] = [];
      const overlaps = (start: number, end: number) => taken.some(([a, b]) => start < b && a < end);
      for (const { entity, forms } of bySentence.get(`${paragraph.number}\u0000${sentence.text}`) ?? []) {
        for (const form of forms) {
          if ((formOwners.get(fold(form)) ?? 0) > 1) continue;
          const start = findForm(sentence.text, form);
          if (start < 0 || overlaps(start, start + form.length) || insideLongerName(sentence.text, start, start + form.length)) continue;
          taken.push([start, start + form.length]);
          // The sentence must not give the answer away by naming it again ("Kim … Kim’s").
          const rest = `${sentence.text.slice(0, start)} ${sentence.text.slice(start + form.length)}`;
          if ([entity.name, ...entity.aliases].some((other) => findForm(rest, other) >= 0)) break;
          facts.push({
            kind: entity.kind,
            paragraph: paragraph.number,
            sentenceIndex: sentence.index,
            sentence: sentence.text,
            start,
            end: start + form.length,
            answer: entity.name,
            key: `e:${entity.id}`,
          });
          break;
        }
      }
      const quantities = findQuantities(sentence.text);
      for (const quantity of quantities) {
        if (overlaps(quantity.start, quantity.end)) continue;
        // Stated twice in one sentence ("in 1917 … in 1917"), it would be given away.
        const twice = quantities.some((other) => other !== quantity && other.kind === quantity.kind && other.key === quantity.key);
        const key = `${quantity.kind}:${quantity.key}`;
        const value = values.get(key);
        if (value) value.forms.add(quantity.text);
        else values.set(key, { kind: quantity.kind, key, answer: quantity.text, forms: new Set([quantity.text]) });
        if (twice || sentence.text.split(quantity.text).length > 2) continue;
        facts.push({
          kind: quantity.kind,
          paragraph: paragraph.number,
          sentenceIndex: sentence.index,
          sentence: sentence.text,
          start: quantity.start,
          end: quantity.end,
          answer: quantity.text,
          key,
        });
      }
    }
  }
  facts.sort((a, b) => a.paragraph - b.paragraph || a.sentenceIndex - b.sentenceIndex || a.start - b.start);
  return { facts, values: [...values.values()].map((v) => ({ ...v, forms: [...v.forms] })) };
}
