// The causal graph of one page of history, drawn as SVG beside the list of changes: one row per
// change (newest at the top), one column per lane (see the server's GraphLayout). Concurrent
// branches are side by side; a merge is a node with lines from two lanes. A dependency on an
// older page is a dashed line to the bottom edge.
import { el } from './common.js';

export const ROW = 22;
const LANE = 14;
const RADIUS = 5;

export function actorColor(actor) {
  let hash = 0;
  for (const c of actor) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 65% 45%)`;
}

/** Draws `page` (a history page) into `svg`; onPick(change) on a click on a node. */
export function renderGraph(svg, page, selected, onPick) {
  const rows = page.to - page.from;
  const row = (index) => page.to - 1 - index;
  const x = (lane) => 10 + lane * LANE;
  const y = (index) => row(index) * ROW + ROW / 2;
  let lanes = 1;
  for (const change of page.changes) {
    lanes = Math.max(lanes, change.lane + 1, ...change.deps.map((dep) => dep.lane + 1));
  }
  const height = Math.max(ROW, rows * ROW);
  svg.setAttribute('width', String(20 + (lanes - 1) * LANE));
  svg.setAttribute('height', String(height));
  const edges = el('g', { class: 'edges', fill: 'none', 'stroke-width': 2 });
  const nodes = el('g', { class: 'nodes' });
  for (const change of page.changes) {
    const [cx, cy] = [x(change.lane), y(change.index)];
    for (const dep of change.deps) {
      const inPage = dep.index >= page.from;
      const [dx, dy] = [x(dep.lane), inPage ? y(dep.index) : height];
      const mid = (cy + dy) / 2;
      const d = cx === dx ? `M${cx} ${cy}L${dx} ${dy}` : `M${cx} ${cy}C${cx} ${mid} ${dx} ${mid} ${dx} ${dy}`;
      edges.append(el('path', {
        d, stroke: actorColor(change.actor), 'stroke-opacity': 0.6,
        'stroke-dasharray': inPage ? null : '3 3', class: 'edge',
      }));
    }
    const merge = change.deps.length > 1;
    nodes.append(el('circle', {
      class: `node${merge ? ' merge' : ''}${change.index === selected ? ' selected' : ''}`,
      cx, cy, r: merge ? RADIUS + 1 : RADIUS,
      fill: merge ? '#fff' : actorColor(change.actor),
      stroke: change.index === selected ? '#1d2330' : actorColor(change.actor),
      'stroke-width': merge || change.index === selected ? 3 : 1,
      'data-index': change.index, 'data-hash': change.hash,
      onclick: () => onPick(change),
    }, el('title', {}, `#${change.index} ${change.hash.slice(0, 8)} by ${change.actor.slice(0, 8)}${merge ? ' (merge)' : ''}`)));
  }
  svg.replaceChildren(edges, nodes);
}

/**
 * The whole history in buckets: bar height is how many lanes a bucket's changes use (taller is
 * more concurrent work); the page on screen is highlighted. onPick(bucket) on a click.
 */
export function renderOverview(svg, overview, laneCount, page, onPick) {
  // Drawn in a fixed 1000-unit box stretched to the panel's width.
  const width = 1000;
  const height = 28;
  const total = overview.length ? overview[overview.length - 1].to : 0;
  const bars = [];
  if (total > 0) {
    for (const bucket of overview) {
      const left = (bucket.from / total) * width;
      const w = Math.max(1, ((bucket.to - bucket.from) / total) * width - 1);
      const h = 6 + (22 * bucket.lanes) / Math.max(1, laneCount);
      const onPage = bucket.to > page.from && bucket.from < page.to;
      bars.push(el('rect', {
        x: left, y: height - h, width: w, height: h, fill: onPage ? '#2f6fde' : '#9fb4d9',
        'data-from': bucket.from, onclick: () => onPick(bucket),
      }, el('title', {}, `changes ${bucket.from}–${bucket.to - 1}, ${bucket.lanes} lane(s)`)));
    }
  }
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('width', '100%');
  svg.replaceChildren(...bars);
}
