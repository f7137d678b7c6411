/** What kind of thing a directory entry is. */
export type EntityKind = 'person' | 'place' | 'organization';

/** The order entries are listed in: people first, then bodies, then places. */
export const KIND_ORDER: Readonly<Record<EntityKind, number>> = { person: 0, organization: 1, place: 2 };

/** One sentence of the corpus that names an entry. */
export interface Mention {
  article: string;
  /** 1-based paragraph number, as in the article (headings are not counted). */
  paragraph: number;
  sentence: string;
}

/**
 * The role an article gives a person ("former U.S. President"), with where it says so. A role set in
 * front matter that the text does not state is attributed to paragraph 0 with an empty sentence.
 */
export interface Role {
  text: string;
  article: string;
  paragraph: number;
  sentence: string;
}

/** A person, place or body the corpus names, with every sentence that names it. */
export interface Entity {
  /** Stable within one build: a slug of the name, suffixed on collision. */
  id: string;
  name: string;
  kind: EntityKind;
  role: Role | null;
  /** Other names it goes by: the short forms the text uses, gazetteer names, front-matter aliases. */
  aliases: string[];
  /** In corpus order, one per sentence. */
  mentions: Mention[];
  /** Entries named in the same sentences, most shared sentences first. */
  appearsWith: { id: string; name: string; count: number }[];
}

/** The answer to a /who-is query. */
export interface WhoIsResult {
  query: string;
  entity: Entity | null;
  /** Names to offer instead: the candidates when ambiguous, else the closest names the corpus mentions. */
  suggestions: string[];
  ambiguous: boolean;
}
