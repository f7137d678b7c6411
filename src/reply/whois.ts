import type { Entity, WhoIsResult } from '../entities/index.js';
import { COLORS, message } from './build.js';
import { LIMITS, escapeMarkdown, escapeUserText, truncate } from './limits.js';
import type { MessagePayload } from './types.js';

const KIND_LABEL = { person: 'Person', place: 'Country or place', organization: 'Organisation' } as const;

/** Mentions grouped by article and paragraph: "¶1 — North Korean leader Kim Jong Un is…". */
function mentionLines(entity: Entity, titleOf: (articleId: string) => string, several: boolean): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const mention of entity.mentions) {
    const key = `${mention.article}#${mention.paragraph}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = several ? `${truncate(titleOf(mention.article), 40)} ¶${mention.paragraph}` : `¶${mention.paragraph}`;
    lines.push(`**${escapeMarkdown(where)}** — ${escapeMarkdown(truncate(mention.sentence, 110))}`);
  }
  return lines;
}

/** `/who-is`: the card of a person or body the article names, or "isn't mentioned" with the closest names. */
export function whoIsMessage(result: WhoIsResult, titleOf: (articleId: string) => string, severalArticles: boolean): MessagePayload {
  const { entity } = result;
  if (!entity) {
    const asked = truncate(escapeUserText(result.query), 200);
    const close = result.suggestions.map((name) => `• ${escapeMarkdown(name)}`).join('\n');
    const lead = result.ambiguous ? `“${asked}” could be more than one of them; which one?` : `“${asked}” isn't mentioned in the article.`;
    return message({
      embeds: [
        {
          color: COLORS.abstain,
          title: result.ambiguous ? 'Which one?' : 'Not mentioned',
          description: close ? `${lead}\n\nClosest names it does mention:\n${close}` : lead,
        },
      ],
      ephemeral: true,
    });
  }
  const role = entity.role
    ? `${escapeMarkdown(entity.role.text)} *(${severalArticles ? `${escapeMarkdown(truncate(titleOf(entity.role.article), 60))} ` : ''}¶${entity.role.paragraph})*`
    : 'The article gives no role.';
  const first = entity.mentions[0];
  const fields = [
    { name: 'Role', value: role },
    ...(first
      ? [{ name: `First mention (¶${first.paragraph})`, value: `> ${escapeMarkdown(truncate(first.sentence, LIMITS.fieldValue - 4))}` }]
      : []),
    { name: `Mentions (${entity.mentions.length})`, value: mentionLines(entity, titleOf, severalArticles).join('\n') || '—' },
    ...(entity.appearsWith.length > 0
      ? [
          {
            name: 'Appears with',
            value: entity.appearsWith
              .slice(0, 12)
              .map((other) => `${escapeMarkdown(other.name)} (${other.count})`)
              .join(' · '),
          },
        ]
      : []),
    ...(entity.aliases.length > 0 ? [{ name: 'Also written', value: entity.aliases.map(escapeMarkdown).join(' · ') }] : []),
  ];
  return message({
    embeds: [{ color: COLORS.info, title: truncate(entity.name, LIMITS.embedTitle), description: KIND_LABEL[entity.kind], fields }],
  });
}
