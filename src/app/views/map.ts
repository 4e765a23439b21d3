// Map: the embedding space of up to 500 recent memories in 2-D (UMAP), coloured by tier; a search lights up its hits.

import { UMAP } from 'umap-js';
import type { AppContext } from '../app-context.js';
import { vectorsOf, type RecordVector } from '../backup-vectors.js';
import { empty, h, replace } from '../dom.js';
import type { View } from '../view.js';
import { TIER_NAMES } from './record-item.js';

const SVG = 'http://www.w3.org/2000/svg';
const MAX_POINTS = 500;
const SIZE = 1000;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

/** Seeded, so the same memories give the same map. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function layout(points: RecordVector[]): Promise<[number, number][]> {
  if (points.length < 4)
    return points.map((_, i) => [Math.cos((i * 2 * Math.PI) / points.length), Math.sin((i * 2 * Math.PI) / points.length)]);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, points.length - 1), minDist: 0.1, random: mulberry32(7) });
  const embedding = await umap.fitAsync(points.map((p) => Array.from(p.vector)));
  return embedding.map(([x, y]) => [x ?? 0, y ?? 0]);
}

export function mapView(app: AppContext): View {
  const canvas = h('div', { id: 'map', class: 'map' });
  const caption = h('p', { id: 'map-caption', class: 'meta', 'aria-live': 'polite' });
  const query = h('input', { id: 'map-query', type: 'search', required: true, placeholder: 'light up the hits of a search' });
  let dirty = true;
  let drawn: { ids: string[]; circles: SVGCircleElement[] } | undefined;
  app.onChange(() => {
    dirty = true;
  });

  function highlight(): void {
    if (!drawn) return;
    const ranks = new Map(app.lastHits.map((hit, i) => [hit.record.id, i + 1]));
    const root = drawn.circles[0]?.ownerSVGElement;
    root?.querySelectorAll('text.rank').forEach((label) => label.remove());
    let lit = 0;
    drawn.circles.forEach((circle, i) => {
      const rank = ranks.get(drawn!.ids[i]!);
      circle.classList.toggle('lit', rank !== undefined);
      // The best hits are drawn largest and numbered, so the top of the ranking stands out.
      circle.setAttribute('r', rank === undefined ? '7' : String(Math.max(9, 18 - rank)));
      if (rank === undefined) return;
      lit++;
      root?.append(circle);
      if (rank <= 5) {
        const label = svg('text', {
          class: 'rank',
          x: Number(circle.getAttribute('cx')) + 16,
          y: Number(circle.getAttribute('cy')) + 6,
        });
        label.textContent = String(rank);
        root?.append(label);
      }
    });
    replace(
      caption,
      app.lastHits.length
        ? `${lit} of the last search’s ${app.lastHits.length} hits are on the map (lit up; the top 5 numbered by rank).`
        : 'Search to light up the hits.',
    );
  }

  async function draw(): Promise<void> {
    const points = vectorsOf(await app.memory.export(), MAX_POINTS);
    if (points.length === 0) {
      drawn = undefined;
      replace(canvas, empty('No memories with vectors yet: write in Chat, then come back to see them laid out by meaning.'));
      return;
    }
    replace(canvas, h('p', { class: 'meta' }, `Laying out ${points.length} memories…`));
    const xy = await layout(points);
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = (v: number, lo: number, hi: number) => 40 + ((v - lo) / (hi - lo || 1)) * (SIZE - 80);
    const root = svg('svg', {
      viewBox: `0 0 ${SIZE} ${SIZE}`,
      role: 'img',
      'aria-label': `Map of ${points.length} memories by meaning`,
    });
    const circles = points.map((p, i) => {
      const circle = svg('circle', {
        cx: scale(xy[i]![0], minX, maxX),
        cy: scale(xy[i]![1], minY, maxY),
        r: 7,
        class: `dot tier-${p.record.tier}`,
      });
      const title = svg('title', {});
      title.textContent = `${TIER_NAMES[p.record.tier]}: ${p.record.text.slice(0, 120)}`;
      circle.append(title);
      root.append(circle);
      return circle;
    });
    drawn = { ids: points.map((p) => p.record.id), circles };
    const model = points[0]!.record.embedding?.model ?? 'hash';
    replace(
      canvas,
      root,
      h(
        'p',
        { class: 'legend' },
        ...[...new Set(points.map((p) => p.record.tier))].map((tier) =>
          h('span', { class: `key tier-${tier}` }, TIER_NAMES[tier]),
        ),
      ),
      h('p', { class: 'meta' }, `${points.length} newest memories, embedded with ${model}, placed by UMAP: near means similar.`),
    );
    highlight();
  }

  const form = h(
    'form',
    {
      role: 'search',
      class: 'row',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void app.attempt(async () => {
          app.lastHits = await app.memory.recall(query.value, { k: 10, reinforce: false });
          highlight();
        });
      },
    },
    h('label', { for: 'map-query' }, 'Search the map'),
    query,
    h('button', { type: 'submit' }, 'Light up'),
  );

  return {
    id: 'map',
    title: 'Map',
    element: h(
      'section',
      { id: 'view-map', 'aria-labelledby': 'map-title' },
      h('h2', { id: 'map-title' }, 'Map of meaning'),
      form,
      caption,
      canvas,
    ),
    async refresh() {
      if (dirty) {
        dirty = false;
        await draw();
      } else highlight();
    },
  };
}
