// A document's page: value tree, history with its causal graph, time travel and diffs.
import { debounce, el, fetchJson, followChanges, showError, time } from './common.js';
import { actorColor, renderGraph, renderOverview } from './graph.js';
import { loadDocumentPeers } from './server.js';
import { renderTree, scalarNode } from './tree.js';

const PAGE = 100;
const docId = decodeURIComponent(location.pathname.slice('/doc/'.length));
const state = {
  summary: null,
  page: null,
  followLatest: true,   // the history shows the newest page and follows new changes
  version: null,        // null: now; else { query, label }
  selected: -1,
  a: null,              // { query, label } of the diff's two versions
  b: null,
};

const $ = (id) => document.getElementById(id);

async function loadSummary() {
  state.summary = await fetchJson(`/api/doc/${docId}`);
  const s = state.summary;
  $('doc-id').textContent = s.id;
  $('doc-url').textContent = s.url;
  $('doc-changes').textContent = String(s.changeCount);
  $('doc-heads').textContent = s.heads.map((h) => h.slice(0, 8)).join(', ') || 'none';
  $('slider').max = String(s.changeCount);
  if (!state.version) $('slider').value = String(s.changeCount);
  document.title = `${s.id} — Converge inspector`;
}

async function loadHistory(from) {
  const count = state.summary.changeCount;
  const start = from ?? Math.max(0, count - PAGE);
  state.page = await fetchJson(`/api/doc/${docId}/history?from=${start}&limit=${PAGE}`);
  state.followLatest = state.page.to === state.page.changeCount;
  renderHistory();
}

function renderHistory() {
  const page = state.page;
  renderGraph($('graph'), page, state.selected, pick);
  renderOverview($('overview'), state.summary.overview, state.summary.laneCount, page, (bucket) =>
    loadHistory(Math.max(0, Math.min(bucket.from, page.changeCount - PAGE))).catch(showError));
  const rows = [...page.changes].reverse().map((change) => {
    const a = versionButton('A', change, state.a);
    const b = versionButton('B', change, state.b);
    return el('li', {
      class: `change-row${change.index === state.selected ? ' selected' : ''}`,
      'data-index': change.index, 'data-hash': change.hash, onclick: () => pick(change),
    },
    el('code', { class: 'hash' }, change.hash.slice(0, 8)),
    el('code', { style: `color:${actorColor(change.actor)}`, title: change.actor }, change.actor.slice(0, 8)),
    el('span', { class: 'muted' }, time(change.time)),
    el('span', { class: 'muted' }, `${change.opCount} op${change.opCount === 1 ? '' : 's'}`),
    el('span', { class: 'msg' }, change.message ?? ''),
    a, b);
  });
  $('changes').replaceChildren(...rows);
  $('history-range').textContent = page.changeCount
    ? `changes ${page.from + 1}–${page.to} of ${page.changeCount}` : 'no changes';
  $('older').disabled = page.from === 0;
  $('newer').disabled = page.to >= page.changeCount;
}

function versionButton(name, change, current) {
  const on = current && current.hash === change.hash;
  const button = el('button', { type: 'button', class: on ? 'on' : '', title: `diff side ${name}` }, name);
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    const version = { query: change.hash, hash: change.hash, label: change.hash.slice(0, 8) };
    if (name === 'A') state.a = version; else state.b = version;
    renderHistory();
    renderDiff().catch(showError);
  });
  return button;
}

/** Time travel to a change: the value as of that change (it and everything before it). */
function pick(change) {
  state.selected = change.index;
  state.version = { query: `at=${change.hash}`, label: `as of change ${change.hash.slice(0, 8)} (#${change.index + 1})` };
  state.a = { query: change.deps.map((dep) => dep.hash).join(','), hash: null, label: 'its parents' };
  state.b = { query: change.hash, hash: change.hash, label: change.hash.slice(0, 8) };
  $('slider').value = String(change.index + 1);
  renderHistory();
  Promise.all([renderValue(), renderDiff()]).catch(showError);
}

async function renderValue() {
  const version = state.version;
  $('version-label').textContent = version ? version.label : 'now';
  $('value-version').textContent = version ? version.label : '(now)';
  await renderTree($('value'), docId, version ? version.query : '');
}

async function renderDiff() {
  const list = $('diff');
  if (!state.a || !state.b) {
    list.replaceChildren();
    $('diff-title').textContent = '';
    return;
  }
  const params = `before=${state.a.query}&after=${state.b.query}`;
  const diff = await fetchJson(`/api/doc/${docId}/diff?${params}`);
  $('diff-title').textContent = `from ${state.a.label} to ${state.b.label}: ${diff.patches.length + diff.omitted} patch(es)`;
  const items = diff.patches.map(patchNode);
  if (diff.omitted) items.push(el('li', { class: 'muted' }, `… ${diff.omitted} more`));
  if (items.length === 0) items.push(el('li', { class: 'muted' }, 'no difference'));
  list.replaceChildren(...items);
}

function pathText(path, last) {
  const steps = last === undefined ? path : [...path, last];
  return '/' + steps.map((step) => String(step)).join('/');
}

function patchNode(patch) {
  switch (patch.action) {
    case 'put':
      return el('li', { class: 'put' }, `put ${pathText(patch.path, patch.at)} = `, scalarNode(patch.value), patch.conflict ? el('span', { class: 'badge' }, 'conflict') : null);
    case 'insert':
      return el('li', { class: 'ins' }, `insert ${pathText(patch.path, patch.index)}: `, ...patch.values.flatMap((v, i) => (i ? [', ', scalarNode(v)] : [scalarNode(v)])));
    case 'splice':
      return el('li', { class: 'ins' }, `splice ${pathText(patch.path, patch.index)}: ${JSON.stringify(patch.text)}`);
    case 'delete':
      return el('li', { class: 'del' }, `delete ${pathText(patch.path, patch.index)} × ${patch.length}`);
    case 'deleteKey':
      return el('li', { class: 'del' }, `delete ${pathText(patch.path, patch.key)}`);
    case 'increment':
      return el('li', { class: 'put' }, `increment ${pathText(patch.path, patch.at)} by ${patch.by}`);
    case 'marks':
      return el('li', { class: 'put' }, `marks ${pathText(patch.path)}: ` + patch.marks.map((m) => `${m.name}=${JSON.stringify(m.value.value)} [${m.start}, ${m.end})`).join(', '));
    default:
      return el('li', {}, JSON.stringify(patch));
  }
}

const travel = debounce(() => {
  const count = Number($('slider').value);
  if (count === state.summary.changeCount) {
    toNow();
    return;
  }
  state.selected = count - 1;
  state.version = { query: `at_count=${count}`, label: `after ${count} of ${state.summary.changeCount} changes` };
  const from = Math.max(0, Math.min(count - PAGE / 2, state.summary.changeCount - PAGE));
  const onPage = state.page && count - 1 >= state.page.from && count - 1 < state.page.to;
  Promise.all([renderValue(), onPage ? renderHistory() : loadHistory(Math.floor(from))]).catch(showError);
}, 150);

function toNow() {
  state.version = null;
  state.selected = -1;
  $('slider').value = String(state.summary.changeCount);
  Promise.all([renderValue(), loadHistory()]).catch(showError);
}

async function refresh() {
  await loadSummary();
  loadDocumentPeers(docId).catch(showError);
  const tasks = [];
  if (state.followLatest) tasks.push(loadHistory());
  else renderHistory();
  if (!state.version) tasks.push(renderValue());
  await Promise.all(tasks);
}

$('slider').addEventListener('input', travel);
$('to-now').addEventListener('click', toNow);
$('older').addEventListener('click', () => loadHistory(Math.max(0, state.page.from - PAGE)).catch(showError));
$('newer').addEventListener('click', () => loadHistory(Math.min(state.page.to, Math.max(0, state.page.changeCount - PAGE))).catch(showError));

const onChange = debounce(refresh, 200);
followChanges((doc) => { if (doc === docId) onChange(); });
(async () => {
  await loadSummary();
  await Promise.all([loadHistory(), renderValue()]);
  if (await loadDocumentPeers(docId)) {
    // Peers' heads change without a change to the document (a peer catching up): poll them too.
    setInterval(() => loadDocumentPeers(docId).catch(() => {}), 5000);
  }
  document.body.dataset.ready = 'true';
})().catch(showError);
