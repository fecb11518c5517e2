// The sync server's panels (only on `converge serve`, whose /api/server answers): the connected
// clients, small charts of the server's metrics over the last minutes (sampled by the server every
// few seconds, drawn here as SVG), and on a document's page each peer's heads and how far behind
// it is.
import { bytes, el, fetchJson } from './common.js';

const REFRESH_MS = 5000;

/** The figures charted, in order: series name, title, and how a value reads. */
const CHARTS = [
  ['connections', 'Connections', (v) => v.toFixed(0)],
  ['messagesReceivedPerSecond', 'Messages in / s', (v) => v.toFixed(1)],
  ['messagesSentPerSecond', 'Messages out / s', (v) => v.toFixed(1)],
  ['changesAppliedPerSecond', 'Changes applied / s', (v) => v.toFixed(1)],
  ['bytesReceivedPerSecond', 'Received / s', (v) => bytes(Math.round(v))],
  ['bytesSentPerSecond', 'Sent / s', (v) => bytes(Math.round(v))],
  ['syncLagP99Millis', 'Sync lag p99', (v) => `${v.toFixed(1)} ms`],
  ['bufferedBytes', 'Buffered', (v) => bytes(Math.round(v))],
  ['heapUsedBytes', 'Heap used', (v) => bytes(Math.round(v))],
];

/** A sparkline: the values as a line over a filled area, 0 at the bottom, the maximum at the top. */
function chart(name, title, format, times, values) {
  const width = 200;
  const height = 48;
  const max = Math.max(...values, 0);
  const x = (i) => (values.length < 2 ? width : (i * width) / (values.length - 1));
  const y = (v) => height - 2 - (max === 0 ? 0 : (v / max) * (height - 4));
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  const svg = el('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' },
    el('title', {}, `${title}, the last ${Math.round((times.at(-1) - times[0]) / 60000) || 0} min`));
  if (points.length > 0) {
    svg.append(el('path', { class: 'area', d: `M0,${height} L${points.join(' L')} L${x(values.length - 1)},${height} Z` }));
    svg.append(el('path', { class: 'line', d: `M${points.join(' L')}` }));
  }
  const latest = values.length ? format(values.at(-1)) : '—';
  return el('figure', { class: 'chart', 'data-series': name },
    el('figcaption', {}, el('span', {}, title), el('strong', {}, latest)), svg);
}

function renderPeers(peers) {
  const rows = peers.map((peer) => el('tr', { 'data-peer': peer.peerId },
    el('td', { class: 'mono' }, peer.peerId || '(joining)'),
    el('td', {}, peer.user || '—'),
    el('td', { class: 'mono' }, peer.address),
    el('td', {}, new Date(peer.connectedAt).toLocaleTimeString()),
    el('td', { class: 'num' }, peer.documents)));
  document.querySelector('#peers tbody').replaceChildren(...rows);
  document.getElementById('peer-count').textContent =
    `${peers.length} client${peers.length === 1 ? '' : 's'} connected`;
}

/** The documents page's server panel; resolves false (and shows nothing) off a sync server. */
export async function followServer() {
  const load = async () => {
    const response = await fetch('/api/server', { headers: { accept: 'application/json' } });
    if (response.status === 404) return false;
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const server = await response.json();
    renderPeers(server.peers);
    const { times, series } = server.metrics;
    document.getElementById('charts').replaceChildren(...CHARTS
      .filter(([name]) => series[name])
      .map(([name, title, format]) => chart(name, title, format, times, series[name])));
    document.getElementById('server').hidden = false;
    return true;
  };
  if (!(await load())) return false;
  setInterval(() => load().catch(() => {}), REFRESH_MS);
  return true;
}

/** A document page's peers panel: each peer's heads, and how far behind or ahead of ours. */
export async function loadDocumentPeers(docId) {
  const response = await fetch(`/api/doc/${docId}/peers`, { headers: { accept: 'application/json' } });
  if (response.status === 404) return false;
  const sync = await fetchJson(`/api/doc/${docId}/peers`);
  const rows = sync.peers.map((peer) => el('tr', { 'data-peer': peer.peerId },
    el('td', { class: 'mono' }, peer.peerId),
    el('td', { class: 'mono' }, peer.heads.map((h) => h.slice(0, 8)).join(', ') || 'none'),
    el('td', { class: 'num behind' }, peer.behind === 0 ? 'in sync' : `${peer.behind} behind`),
    el('td', { class: 'num' }, peer.ahead === 0 ? '' : `${peer.ahead} head${peer.ahead === 1 ? '' : 's'} ahead`)));
  document.querySelector('#doc-peers tbody').replaceChildren(...rows);
  document.getElementById('doc-peer-count').textContent =
    `${sync.peers.length} peer${sync.peers.length === 1 ? '' : 's'} syncing; the server's heads ${sync.heads.map((h) => h.slice(0, 8)).join(', ') || 'none'}`;
  document.getElementById('peers-panel').hidden = false;
  return true;
}
