import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { isWebUrl } from '../text/url.js';
import { splitSentences } from './sentences.js';
import type { Article, Paragraph, Section } from './types.js';

/** Files larger than this are refused rather than indexed: no news article comes close. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

/** What is wrong with one corpus file, with the line where it can be seen when known. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`);
  }
}

const optionalText = z
  .union([z.string(), z.number(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim()))
  .optional();

const entitySchema = z.object({
  name: z.string().trim().min(1),
  kind: z.enum(['person', 'place', 'organization']).optional(),
  role: z.string().trim().min(1).optional(),
  aliases: z.array(z.string().trim().min(1)).optional(),
});

const frontMatterSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and hyphens')
    .optional(),
  title: z.string({ error: 'is required' }).trim().min(1, 'must not be empty'),
  source: optionalText,
  url: z
    .string({ error: 'must be a URL' })
    .trim()
    .refine(isWebUrl, 'must be a URL starting with http:// or https:// (Discord refuses links of any other kind)')
    .optional(),
  published: optionalText,
  author: optionalText,
  entities: z.array(entitySchema).optional(),
  /** Questions the article answers, shown to users as examples (/help, the article card). */
  examples: z.array(z.string({ error: 'must be a list of questions' }).trim().min(1, 'must not be empty').max(200)).optional(),
});

/** Decodes bytes as UTF-8, refusing anything else rather than indexing mojibake. */
export function decodeUtf8(file: string, bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_ARTICLE_BYTES) {
    throw new CorpusError(file, `is ${bytes.byteLength} bytes; an article may be at most ${MAX_ARTICLE_BYTES} bytes`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CorpusError(file, 'is not valid UTF-8 text (save it as UTF-8)');
  }
}

/** The article id a file gets when its front matter names none. */
export function idFromFileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base
    .replace(/\.[^.]+$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function splitFrontMatter(file: string, text: string): { yaml: string; body: string; bodyLine: number } {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new CorpusError(file, "has no front matter: the file must start with a line '---', then 'title: …', then '---'", 1);
  }
  const close = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (close === -1) throw new CorpusError(file, "front matter is not closed: add a line '---' after it", 1);
  return { yaml: lines.slice(1, close).join('\n'), body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
}

/** Where the top-level key `name` starts in the front matter, when it is there. */
function keyRange(doc: Document, name: PropertyKey | undefined): number | undefined {
  if (typeof name !== 'string' || !isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((item) => isScalar(item.key) && item.key.value === name);
  return isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
}

function lineOf(yaml: string, offset: number): number {
  return yaml.slice(0, offset).split('\n').length + 1;
}

/**
 * Blank-line-separated blocks of a Markdown body, each with the file line it starts on.
 * Not mdast-util-from-markdown (evaluated 2026-12-01): it gives the same blocks and lines on the
 * seed article, but CommonMark reads a paragraph that starts with "1. ", "* ", "> " or four spaces
 * as a list, quote or code block, which news text can, and each would need flattening back to text.
 */
function blocks(body: string, firstLine: number): { text: string; line: number }[] {
  const found: { text: string; line: number }[] = [];
  let lines: string[] = [];
  let start = firstLine;
  body.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') {
      if (lines.length > 0) found.push({ text: lines.join('\n'), line: start });
      lines = [];
      return;
    }
    if (lines.length === 0) start = firstLine + i;
    lines.push(raw.trim());
  });
  if (lines.length > 0) found.push({ text: lines.join('\n'), line: start });
  return found;
}

/** Normalises a heading line: drops the Markdown marks and a trailing colon. */
function headingText(block: string): string | null {
  const match = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(block);
  if (!match?.[1]) return null;
  return match[1].replace(/:\s*$/, '').trim();
}

/**
 * Parses one corpus file: YAML front matter (title required; id, source, url, published, author,
 * entities, examples optional) and a Markdown body of `##` headings and blank-line-separated paragraphs.
 * Throws a {@link CorpusError} naming the file (and line) for anything it cannot use.
 */
export function parseArticle(file: string, text: string): Article {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') throw new CorpusError(file, 'is empty');
  const { yaml, body, bodyLine } = splitFrontMatter(file, source);

  const doc = parseDocument(yaml, { prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw new CorpusError(file, `front matter is not valid YAML: ${yamlError.message.split('\n')[0]}`, lineOf(yaml, yamlError.pos[0]));
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || 'front matter';
    const message = raw === null || typeof raw !== 'object' ? 'must be a YAML mapping (key: value lines)' : (issue?.message ?? 'is invalid');
    const keyOffset = keyRange(doc, issue?.path[0]);
    throw new CorpusError(
      file,
      `front matter '${key}' ${message.replace(/^Invalid input: /, '')}`,
      keyOffset === undefined ? undefined : lineOf(yaml, keyOffset),
    );
  }
  const meta = parsed.data;
  const id = meta.id ?? idFromFileName(file);
  if (id === '') throw new CorpusError(file, "has no usable id: name the file with letters or digits, or set 'id' in the front matter");

  const paragraphs: Paragraph[] = [];
  const sections: Section[] = [];
  let section: string | null = null;
  for (const { text: block, line } of blocks(body, bodyLine)) {
    const heading = block.startsWith('#') ? headingText(block.split('\n')[0] ?? '') : null;
    if (heading !== null) {
      if (block.includes('\n')) {
        throw new CorpusError(file, 'a heading must be followed by a blank line before its paragraph', line);
      }
      // A top-level heading repeating the title is the title, not a section.
      if (block.startsWith('# ') && heading === meta.title && paragraphs.length === 0) continue;
      section = heading;
      continue;
    }
    const paragraphText = block.replace(/\s*\n\s*/g, ' ');
    const number = paragraphs.length + 1;
    paragraphs.push({ articleId: id, number, section, text: paragraphText, sentences: splitSentences(paragraphText) });
    const current = sections.at(-1);
    if (section === null) continue;
    if (current?.title === section && current.lastParagraph === number - 1) {
      sections[sections.length - 1] = { ...current, lastParagraph: number };
    } else {
      sections.push({ title: section, firstParagraph: number, lastParagraph: number });
    }
  }
  if (paragraphs.length === 0) throw new CorpusError(file, 'has no paragraphs after the front matter');

  return {
    id,
    title: meta.title,
    source: meta.source ?? null,
    url: meta.url ?? null,
    published: meta.published ?? null,
    author: meta.author ?? null,
    file,
    sections,
    paragraphs,
    entities: (meta.entities ?? []).map((entity) => ({
      name: entity.name,
      ...(entity.kind === undefined ? {} : { kind: entity.kind }),
      ...(entity.role === undefined ? {} : { role: entity.role }),
      ...(entity.aliases === undefined ? {} : { aliases: entity.aliases }),
    })),
    examples: meta.examples ?? [],
  };
}
