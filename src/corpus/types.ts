/** One sentence of a paragraph, with its character range in the paragraph text. */
export interface Sentence {
  /** 0-based position within the paragraph. */
  readonly index: number;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** A paragraph of an article: the unit that answers are made of. */
export interface Paragraph {
  readonly articleId: string;
  /** 1-based, in reading order within the article; headings are not counted. */
  readonly number: number;
  /** The heading above the paragraph, or null before the first heading. */
  readonly section: string | null;
  readonly text: string;
  readonly sentences: readonly Sentence[];
}

/** A section heading and the paragraphs under it. */
export interface Section {
  readonly title: string;
  readonly firstParagraph: number;
  readonly lastParagraph: number;
}

/** A correction or addition to the entity directory, given in an article's front matter. */
export interface EntityOverride {
  readonly name: string;
  readonly kind?: 'person' | 'place' | 'organization';
  readonly role?: string;
  readonly aliases?: readonly string[];
}

/** A parsed article, as read from one corpus file. */
export interface Article {
  /** Stable id: the front matter `id`, else the file name without extension. */
  readonly id: string;
  readonly title: string;
  readonly source: string | null;
  readonly url: string | null;
  readonly published: string | null;
  readonly author: string | null;
  /** Path of the corpus file, for error messages and attribution. */
  readonly file: string;
  readonly sections: readonly Section[];
  readonly paragraphs: readonly Paragraph[];
  readonly entities: readonly EntityOverride[];
  /** Questions the article answers, from the front matter's `examples:`; shown to users as examples. */
  readonly examples: readonly string[];
}
