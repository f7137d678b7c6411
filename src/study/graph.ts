import type { Article } from '../corpus/types.js';
import type { Directory, EntityKind } from '../entities/index.js';
import { studyEntities } from './facts.js';

/** A person, place or organisation of the map. */
export interface MapNode {
  readonly id: string;
  readonly name: string;
  readonly kind: EntityKind;
  /** Sentences of the article that name it. */
  readonly mentions: number;
}

/** Two entries named in the same paragraphs. */
export interface MapEdge {
  readonly a: string;
  readonly b: string;
  /** Paragraphs naming both. */
  readonly paragraphs: number;
}

/** Who appears with whom in one article. */
export interface MapGraph {
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
  /** Entries left off to keep the picture legible. */
  readonly omitted: number;
}

/** More nodes than this make labels too small or too crowded to read in Discord's preview. */
export const MAX_NODES = 16;

/**
 * The article's people, places and organisations, the most named first (at most {@link MAX_NODES}), and
 * for each pair the number of paragraphs that name both. Ties break by name, so the same article always
 * gives the same graph.
 */
export function buildGraph(article: Article, directory: Directory, maxNodes = MAX_NODES): MapGraph {
  const all = studyEntities(directory, article)
    .map(({ entity, mentions }) => ({ entity, mentions }))
    .sort((x, y) => y.mentions - x.mentions || x.entity.name.localeCompare(y.entity.name));
  const kept = all.slice(0, maxNodes);
  const paragraphsOf = new Map<string, Set<number>>();
  for (const { entity } of kept) {
    paragraphsOf.set(entity.id, new Set(entity.mentions.filter((m) => m.article === article.id).map((m) => m.paragraph)));
  }
  const edges: MapEdge[] = [];
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const a = kept[i]?.entity;
      const b = kept[j]?.entity;
      if (!a || !b) continue;
      const pa = paragraphsOf.get(a.id) ?? new Set<number>();
      const pb = paragraphsOf.get(b.id) ?? new Set<number>();
      let shared = 0;
      for (const p of pa) if (pb.has(p)) shared++;
      if (shared > 0) edges.push({ a: a.id, b: b.id, paragraphs: shared });
    }
  }
  return {
    nodes: kept.map(({ entity, mentions }) => ({ id: entity.id, name: entity.name, kind: entity.kind, mentions })),
    edges,
    omitted: all.length - kept.length,
  };
}
