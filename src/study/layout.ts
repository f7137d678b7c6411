import type { MapGraph, MapNode } from './graph.js';

/** Measures the width of a label in pixels at a font size; the renderer measures with the real font. */
export type Measure = (text: string, fontSize: number) => number;

/** A rectangle in picture pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A node where it is drawn, with its label's box. */
export interface PlacedNode {
  readonly node: MapNode;
  readonly x: number;
  readonly y: number;
  readonly radius: number;
  readonly label: Box;
  readonly labelText: string;
}

/** The whole picture's geometry. */
export interface MapLayout {
  readonly width: number;
  readonly height: number;
  /** The band at the top for the title and legend. */
  readonly header: number;
  readonly nodes: readonly PlacedNode[];
}

export const LAYOUT = {
  width: 1200,
  minHeight: 760,
  header: 120,
  margin: 28,
  labelSize: 28,
  labelGap: 6,
  minRadius: 12,
  maxRadius: 44,
  /** Space kept between any two boxes (a node and its label count as one box). */
  padding: 16,
} as const;

const MAX_LABEL = 28;

function labelOf(name: string): string {
  return name.length <= MAX_LABEL ? name : `${name.slice(0, MAX_LABEL - 1).trimEnd()}…`;
}

interface Body {
  node: MapNode;
  x: number;
  y: number;
  radius: number;
  labelText: string;
  labelWidth: number;
  /** Half-widths and extents of the node with its label below, from the centre. */
  halfWidth: number;
  up: number;
  down: number;
}

function bodyBox(body: Body, padding = 0): { left: number; right: number; top: number; bottom: number } {
  return {
    left: body.x - body.halfWidth - padding / 2,
    right: body.x + body.halfWidth + padding / 2,
    top: body.y - body.up - padding / 2,
    bottom: body.y + body.down + padding / 2,
  };
}

/**
 * Places the graph deterministically: nodes start on a golden-angle spiral in order of mentions, a
 * force layout (Fruchterman–Reingold, fixed iterations, no randomness) pulls neighbours together and
 * pushes the rest apart, and then every node with its label is treated as one box and boxes are pushed
 * apart until none overlap, inside the picture. When they cannot all fit, the picture grows taller.
 */
export function layoutGraph(graph: MapGraph, measure: Measure): MapLayout {
  const { width, labelSize, labelGap, padding } = LAYOUT;
  const maxMentions = Math.max(1, ...graph.nodes.map((n) => n.mentions));
  const bodies: Body[] = graph.nodes.map((node, i) => {
    const radius = LAYOUT.minRadius + (LAYOUT.maxRadius - LAYOUT.minRadius) * Math.sqrt(node.mentions / maxMentions);
    const labelText = labelOf(node.name);
    const labelWidth = Math.ceil(measure(labelText, labelSize));
    const angle = i * 2.399963;
    const spread = 60 * Math.sqrt(i + 0.5);
    return {
      node,
      x: Math.cos(angle) * spread,
      y: Math.sin(angle) * spread,
      radius,
      labelText,
      labelWidth,
      halfWidth: Math.max(radius, labelWidth / 2),
      up: radius,
      down: radius + labelGap + labelSize * 1.2,
    };
  });
  const index = new Map(bodies.map((b, i) => [b.node.id, i]));
  const edges = graph.edges.flatMap((edge) => {
    const a = index.get(edge.a);
    const b = index.get(edge.b);
    return a === undefined || b === undefined ? [] : [{ a, b, weight: edge.paragraphs }];
  });
  const maxWeight = Math.max(1, ...edges.map((e) => e.weight));

  // Force layout in an abstract plane, then scaled to the picture.
  const k = 140;
  let temperature = 120;
  for (let iteration = 0; iteration < 300; iteration++) {
    const dx = new Float64Array(bodies.length);
    const dy = new Float64Array(bodies.length);
    for (let i = 0; i < bodies.length; i++) {
      for (let j = i + 1; j < bodies.length; j++) {
        const a = bodies[i] as Body;
        const b = bodies[j] as Body;
        let x = a.x - b.x;
        let y = a.y - b.y;
        let d = Math.hypot(x, y);
        if (d < 0.01) {
          x = 0.01 * (i - j);
          y = 0.01;
          d = Math.hypot(x, y);
        }
        const force = (k * k) / d;
        dx[i] = (dx[i] as number) + (x / d) * force;
        dy[i] = (dy[i] as number) + (y / d) * force;
        dx[j] = (dx[j] as number) - (x / d) * force;
        dy[j] = (dy[j] as number) - (y / d) * force;
      }
    }
    for (const { a, b, weight } of edges) {
      const p = bodies[a] as Body;
      const q = bodies[b] as Body;
      const x = p.x - q.x;
      const y = p.y - q.y;
      const d = Math.max(0.01, Math.hypot(x, y));
      const force = ((d * d) / k) * (0.5 + weight / maxWeight);
      dx[a] = (dx[a] as number) - (x / d) * force;
      dy[a] = (dy[a] as number) - (y / d) * force;
      dx[b] = (dx[b] as number) + (x / d) * force;
      dy[b] = (dy[b] as number) + (y / d) * force;
    }
    bodies.forEach((body, i) => {
      // Gravity keeps unconnected nodes from drifting away.
      const gx = (dx[i] as number) - body.x * 0.05 * k * 0.1;
      const gy = (dy[i] as number) - body.y * 0.05 * k * 0.1;
      const d = Math.max(0.01, Math.hypot(gx, gy));
      const step = Math.min(d, temperature);
      body.x += (gx / d) * step;
      body.y += (gy / d) * step;
    });
    temperature = Math.max(2, temperature * 0.985);
  }

  let height: number = LAYOUT.minHeight;
  for (let attempt = 0; attempt < 12; attempt++) {
    if (placeWithin(bodies, width, height, padding)) break;
    height = Math.round(height * 1.12);
  }
  return {
    width,
    height,
    header: LAYOUT.header,
    nodes: bodies.map((body) => ({
      node: body.node,
      x: body.x,
      y: body.y,
      radius: body.radius,
      labelText: body.labelText,
      label: {
        x: body.x - body.labelWidth / 2,
        y: body.y + body.radius + labelGap,
        width: body.labelWidth,
        height: labelSize * 1.2,
      },
    })),
  };
}

/**
 * Scales the force layout into the area below the header and pushes overlapping boxes apart, keeping
 * each inside the margins. Returns whether no two boxes overlap at the end.
 */
function placeWithin(bodies: Body[], width: number, height: number, padding: number): boolean {
  const { margin, header } = LAYOUT;
  const area = { left: margin, right: width - margin, top: header, bottom: height - margin };
  const xs = bodies.map((b) => b.x);
  const ys = bodies.map((b) => b.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const maxHalf = Math.max(0, ...bodies.map((b) => b.halfWidth));
  const maxDown = Math.max(0, ...bodies.map((b) => b.down));
  const maxUp = Math.max(0, ...bodies.map((b) => b.up));
  const spanX = Math.max(1, maxX - minX);
  const spanY = Math.max(1, maxY - minY);
  // Each axis is stretched to fill its side: a wide picture shows best in Discord's wide preview.
  const scaleX = (area.right - area.left - 2 * maxHalf) / spanX;
  const scaleY = (area.bottom - area.top - maxUp - maxDown) / spanY;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const centreX = (area.left + area.right) / 2;
  const centreY = (area.top + maxUp + area.bottom - maxDown) / 2;
  const placed = bodies.map((b) => ({ ...b, x: centreX + (b.x - cx) * scaleX, y: centreY + (b.y - cy) * scaleY }));

  const clamp = (b: Body) => {
    b.x = Math.min(Math.max(b.x, area.left + b.halfWidth), area.right - b.halfWidth);
    b.y = Math.min(Math.max(b.y, area.top + b.up), area.bottom - b.down);
  };
  placed.forEach(clamp);
  let clear = false;
  for (let round = 0; round < 400 && !clear; round++) {
    clear = true;
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i] as Body;
        const b = placed[j] as Body;
        const p = bodyBox(a, padding);
        const q = bodyBox(b, padding);
        const overlapX = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const overlapY = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (overlapX <= 0 || overlapY <= 0) continue;
        clear = false;
        // Push apart along the axis that needs the smaller move; ties go by index, never at random.
        if (overlapX < overlapY) {
          const sign = a.x < b.x || (a.x === b.x && i < j) ? -1 : 1;
          a.x += (sign * overlapX) / 2 + sign * 0.5;
          b.x -= (sign * overlapX) / 2 + sign * 0.5;
        } else {
          const sign = a.y < b.y || (a.y === b.y && i < j) ? -1 : 1;
          a.y += (sign * overlapY) / 2 + sign * 0.5;
          b.y -= (sign * overlapY) / 2 + sign * 0.5;
        }
        clamp(a);
        clamp(b);
      }
    }
  }
  placed.forEach((b, i) => Object.assign(bodies[i] as Body, { x: b.x, y: b.y }));
  return clear;
}

/** Whether two boxes overlap (touching is not overlapping). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
