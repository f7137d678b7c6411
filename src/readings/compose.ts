import { parseDocument, stringify } from 'yaml';
import { CorpusError, parseArticle } from '../corpus/parse.js';
import type { Article } from '../corpus/types.js';
import { fold } from '../text/fold.js';

/** A title longer than this is a paragraph that lost its way, not a title. */
export const MAX_TITLE_CHARACTERS = 300;
/** Longest reading id made from a title; ids go into button custom ids (100 characters in all). */
const MAX_SLUG = 60;

/** A reading refused, with the message the member sees (it names the check that failed). */
export class ReadingRefusal extends Error {
  override readonly name = 'ReadingRefusal';
  constructor(
    readonly reason: string,
    /** Which limit or check refused it, for the log line. */
    readonly check: string,
  ) {
    super(reason);
  }
}

/** What a member handed in: a file's decoded text, or the fields of the form. */
export type ReadingInput =
  | { readonly kind: 'file'; readonly filename: string; readonly text: string }
  | { readonly kind: 'form'; readonly title: string; readonly source: string; readonly url: string; readonly text: string };

/** A reading ready to be saved once its id is chosen: its front matter and Markdown body. */
export interface Draft {
  readonly meta: Readonly<Record<string, unknown>>;
  readonly body: string;
  /** The id asked for in the front matter, or one made from the title. */
  readonly wantedId: string;
  readonly title: string;
}

/** A corpus id made from a title: folded, lower-case letters and digits joined by hyphens. */
export function slugOf(title: string): string {
  const slug = fold(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.length <= MAX_SLUG ? slug : slug.slice(0, MAX_SLUG).replace(/-[^-]*$/, '');
  return cut === '' ? 'reading' : cut;
}

/** The first id of `wanted`, `wanted-2`, `wanted-3`… that `taken` does not hold. */
export function freeId(wanted: string, taken: (id: string) => boolean): string {
  if (!taken(wanted)) return wanted;
  const base = wanted.slice(0, MAX_SLUG);
  for (let n = 2; ; n += 1) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

/** The corpus check's words, without the temporary file name it was run on. */
function refusalOf(err: unknown): never {
  if (err instanceof CorpusError) {
    const where = err.line === undefined ? '' : ` (line ${err.line})`;
    const subject = err.problem.startsWith('front matter') ? 'The reading’s' : 'The reading';
    throw new ReadingRefusal(`${subject} ${err.problem}${where}.`, 'corpus check');
  }
  throw err;
}

/** Binary files decode as UTF-8 surprisingly often; text never holds these control characters. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BINARY = /[\u0000-\u0008\u000e-\u001f]/;

/** Decodes an upload as UTF-8 text, refusing binary and other encodings. */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ReadingRefusal('That file is not UTF-8 text. Only text files are accepted: save it as UTF-8 (.md or .txt).', 'text only');
  }
  if (BINARY.test(text))
    throw new ReadingRefusal('That file looks binary, not text. Only UTF-8 text files (.md or .txt) are accepted.', 'text only');
  return text;
}

/** Splits "first non-empty line is the title" text into its title and the rest. */
function titleLine(text: string, markdown: boolean): { title: string; body: string } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const at = lines.findIndex((line) => line.trim() !== '');
  if (at === -1) throw new ReadingRefusal('The reading is empty.', 'corpus check');
  const raw = lines[at]?.trim() ?? '';
  const title = (markdown ? raw.replace(/^#{1,6}\s+/, '').replace(/\s+#+$/, '') : raw).trim();
  if (title === '') throw new ReadingRefusal('The reading has no title: put it on the first line.', 'corpus check');
  return { title, body: lines.slice(at + 1).join('\n') };
}

/** The text under a title, refused when there is none. */
function bodyOf(text: string): string {
  if (text.trim() === '') throw new ReadingRefusal('The reading has no text under its title.', 'corpus check');
  return text;
}

function checkTitle(title: string): void {
  if (title.length > MAX_TITLE_CHARACTERS)
    throw new ReadingRefusal(
      `The title is ${title.length} characters; a title may be at most ${MAX_TITLE_CHARACTERS}. Put a short title on the first line.`,
      'title length',
    );
}

function checkUrl(url: string | null): void {
  // Discord refuses an embed whose url is not http(s), which would break every answer quoting the reading.
  if (url !== null && !/^https?:\/\//i.test(url))
    throw new ReadingRefusal('The reading’s url must start with http:// or https://.', 'corpus check');
}

/**
 * Turns what a member handed in into a draft, checked by the corpus parser exactly as a file in
 * `corpus/` is: Markdown with front matter as it is; Markdown without, or plain text, with its first
 * non-empty line as the title; the form's fields as front matter. Throws a {@link ReadingRefusal}.
 */
export function draftOf(input: ReadingInput): Draft {
  if (input.kind === 'form') {
    const title = input.title.trim();
    if (title === '') throw new ReadingRefusal('The reading has no title.', 'corpus check');
    const meta: Record<string, unknown> = { title };
    if (input.source.trim() !== '') meta['source'] = input.source.trim();
    if (input.url.trim() !== '') meta['url'] = input.url.trim();
    return checked({ meta, body: bodyOf(input.text), wantedId: slugOf(title), title });
  }
  const markdown = /\.(md|markdown)$/i.test(input.filename);
  const text = input.text.replace(/^\uFEFF/, '');
  if (markdown && text.split(/\r?\n/, 1)[0]?.trim() === '---') {
    // The parser's own messages for broken front matter, missing title, empty body.
    let article: Article;
    try {
      article = parseArticle(input.filename, text);
    } catch (err) {
      refusalOf(err);
    }
    const lines = text.split(/\r?\n/);
    const close = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
    const meta = (parseDocument(lines.slice(1, close).join('\n')).toJS() ?? {}) as Record<string, unknown>;
    const { added_by: _by, added_at: _at, ...kept } = meta;
    return checked({
      meta: kept,
      body: lines.slice(close + 1).join('\n'),
      wantedId: slugOf(typeof meta['id'] === 'string' ? article.id : article.title),
      title: article.title,
    });
  }
  const { title, body } = titleLine(text, markdown);
  return checked({ meta: { title }, body: bodyOf(body), wantedId: slugOf(title), title });
}

function checked(draft: Draft): Draft {
  checkTitle(draft.title);
  // Parsed once here with a stand-in id, so every problem is found before an id is spent.
  const article = articleOf(draft, draft.wantedId, '', '');
  checkUrl(article.url);
  return draft;
}

/** The reading as the corpus file it is saved as. */
export function markdownOf(draft: Draft, id: string, addedBy: string, addedAt: string): string {
  const meta = { ...draft.meta, id, added_by: addedBy, added_at: addedAt };
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n\n${draft.body.replace(/^\s*\n/, '')}`;
}

/** Parses the saved form of a draft; throws a {@link ReadingRefusal} naming the problem. */
export function articleOf(draft: Draft, id: string, addedBy: string, addedAt: string): Article {
  try {
    return parseArticle(`${id}.md`, markdownOf(draft, id, addedBy, addedAt));
  } catch (err) {
    refusalOf(err);
  }
}
