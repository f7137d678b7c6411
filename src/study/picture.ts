import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { Article } from '../corpus/types.js';
import type { Directory, EntityKind } from '../entities/index.js';
import { buildGraph, type MapGraph } from './graph.js';
import { LAYOUT, layoutGraph, type MapLayout, type Measure } from './layout.js';

const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FAMILY = 'DejaVu Sans';

/**
 * The fonts every picture is drawn with: DejaVu Sans from an npm package, and no system fonts, so
 * every host draws the same pixels (resvg reads TrueType, not the WOFF files fontsource ships).
 */
export const FONT_OPTIONS: NonNullable<ResvgRenderOptions['font']> = {
  fontFiles: [join(FONT_DIR, 'DejaVuSans.ttf'), join(FONT_DIR, 'DejaVuSans-Bold.ttf')],
  loadSystemFonts: false,
  defaultFontFamily: FAMILY,
  sansSerifFamily: FAMILY,
};

/** Colours by kind, distinguishable in light and dark Discord themes and by most colour-blind readers. */
export const KIND_COLORS: Record<EntityKind, string> = { person: '#2563eb', place: '#059669', organization: '#d97706' };
const KIND_NAMES: Record<EntityKind, string> = { person: 'person', place: 'place', organization: 'organisation' };

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const widths = new Map<string, number>();

/** A label's width with the real font, measured by resvg itself. */
export const measureLabel: Measure = (text, fontSize) => {
  const key = `${fontSize}\u0000${text}`;
  const known = widths.get(key);
  if (known !== undefined) return known;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200"><text x="10" y="100" font-family="${FAMILY}" font-size="${fontSize}" font-weight="bold">${xml(text)}</text></svg>`;
  const box = new Resvg(svg, { font: FONT_OPTIONS }).getBBox();
  // Ink width, plus the halo drawn around each letter.
  const width = (box?.width ?? text.length * fontSize * 0.65) + 6;
  if (widths.size > 5000) widths.clear();
  widths.set(key, width);
  return width;
};

function fitTitle(title: string, max: number, size: number): string {
  let text = title;
  while (text.length > 8 && measureLabel(text, size) > max) text = `${text.slice(0, Math.floor(text.length * 0.9)).trimEnd()}…`;
  return text;
}

/** The picture as SVG: edges under nodes, labels with a white halo over everything, title and legend on top. */
export function mapSvg(title: string, graph: MapGraph, layout: MapLayout): string {
  const { width, height } = layout;
  const at = new Map(layout.nodes.map((placed) => [placed.node.id, placed]));
  const maxWeight = Math.max(1, ...graph.edges.map((e) => e.paragraphs));
  const edges = [...graph.edges]
    .sort((a, b) => a.paragraphs - b.paragraphs)
    .map((edge) => {
      const a = at.get(edge.a);
      const b = at.get(edge.b);
      if (!a || !b) return '';
      const stroke = (2 + 10 * (edge.paragraphs / maxWeight)).toFixed(1);
      const opacity = (0.35 + 0.4 * (edge.paragraphs / maxWeight)).toFixed(2);
      return `<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" stroke="#64748b" stroke-opacity="${opacity}" stroke-width="${stroke}" stroke-linecap="round"/>`;
    });
  const nodes = layout.nodes.map(
    (p) =>
      `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${p.radius.toFixed(1)}" fill="${KIND_COLORS[p.node.kind]}" stroke="#ffffff" stroke-width="3"/>`,
  );
  const labels = layout.nodes.map(
    (p) =>
      `<text x="${p.x.toFixed(1)}" y="${(p.label.y + LAYOUT.labelSize * 0.95).toFixed(1)}" text-anchor="middle" font-size="${LAYOUT.labelSize}" font-weight="bold" fill="#0f172a" stroke="#ffffff" stroke-width="6" stroke-linejoin="round" paint-order="stroke">${xml(p.labelText)}</text>`,
  );
  const kinds = (['person', 'place', 'organization'] as const).filter((kind) => graph.nodes.some((n) => n.kind === kind));
  let x = LAYOUT.margin;
  const legend = kinds.map((kind) => {
    const item = `<circle cx="${x + 11}" cy="94" r="11" fill="${KIND_COLORS[kind]}"/><text x="${x + 30}" y="103" font-size="26" fill="#334155">${KIND_NAMES[kind]}</text>`;
    x += 30 + measureLabel(KIND_NAMES[kind], 26) + 30;
    return item;
  });
  const note = `lines: same paragraph, thicker = more often${graph.omitted > 0 ? ` · ${graph.omitted} more not shown` : ''}`;
  const noteSize = 20;
  // A long title is set smaller before it is cut, down to a size still legible in Discord's preview.
  let titleSize = 34;
  while (titleSize > 24 && measureLabel(title, titleSize) > width - 2 * LAYOUT.margin) titleSize -= 2;
  const noteText = fitTitle(note, width - x - LAYOUT.margin, noteSize);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FAMILY}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LAYOUT.margin}" y="52" font-size="${titleSize}" font-weight="bold" fill="#0f172a">${xml(fitTitle(title, width - 2 * LAYOUT.margin, titleSize))}</text>`,
    ...legend,
    `<text x="${width - LAYOUT.margin}" y="101" text-anchor="end" font-size="${noteSize}" fill="#64748b">${xml(noteText)}</text>`,
    ...edges,
    ...nodes,
    ...labels,
    '</svg>',
  ].join('\n');
}

/** A drawn map: the PNG and what it shows. */
export interface MapPicture {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly graph: MapGraph;
  readonly layout: MapLayout;
  readonly svg: string;
}

/** The map's geometry and SVG, without rasterising: deterministic for the same article. */
export function drawMap(article: Article, directory: Directory): Omit<MapPicture, 'png' | 'width' | 'height'> {
  const graph = buildGraph(article, directory);
  const layout = layoutGraph(graph, measureLabel);
  return { graph, layout, svg: mapSvg(article.title, graph, layout) };
}

/** Draws the article's map and rasterises it off the main thread (resvg's worker pool). */
export async function renderMap(article: Article, directory: Directory): Promise<MapPicture> {
  const drawn = drawMap(article, directory);
  const image = await renderAsync(drawn.svg, { font: FONT_OPTIONS, fitTo: { mode: 'original' }, background: '#ffffff' });
  return { ...drawn, png: image.asPng(), width: image.width, height: image.height };
}
