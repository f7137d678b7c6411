import type { Article } from '../corpus/types.js';
import type { Entity } from '../entities/index.js';
import type { Library } from '../library.js';

const KIND_ORDER = { person: 0, organization: 1, place: 2 } as const;
const QUESTION_WORD = /^(who|what|why|how|when|where|which|is|are|does|do|can|will)\b/i;

/** Questions made from the reading itself: its people and places first, then its section headings. */
function candidates(article: Article, entities: readonly Entity[]): string[] {
  const named = entities
    .filter((entity) => entity.mentions.some((mention) => mention.article === article.id))
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.mentions.length - a.mentions.length);
  const fromNames = named.flatMap((entity) => {
    const role = entity.role && entity.role.article === article.id ? entity.role.text : null;
    if (entity.kind === 'person') return [`Who is ${entity.name}?`, ...(role ? [`Who is the ${role}?`] : [])];
    return [`What does it say about ${entity.name}?`];
  });
  const fromSections = article.sections.map((section) =>
    QUESTION_WORD.test(section.title) ? `${section.title.replace(/[?.!:]+$/, '')}?` : `What about ${section.title}?`,
  );
  return [...fromNames, ...fromSections];
}

/**
 * One question the reading answers, for the reply to `/reading add`: made from a name or a heading
 * of the reading, and kept only when asking it in this server really brings a passage of that
 * reading first. Null when none does.
 */
export function exampleQuestion(article: Article, entities: readonly Entity[], scope: Library): string | null {
  for (const question of candidates(article, entities).slice(0, 12)) {
    const answer = scope.engine.ask(question, { top: 1 });
    if (!answer.abstained && answer.passages[0]?.article.id === article.id) return question;
  }
  return null;
}
