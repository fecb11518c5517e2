// The documents page: a page of documents at a time, most recently changed first, with search.
import { bytes, debounce, el, fetchJson, followChanges, showError, time } from './common.js';
import { followServer } from './server.js';

const PAGE = 50;
const state = { offset: 0, query: new URLSearchParams(location.search).get('q') ?? '' };

async function load() {
  const params = new URLSearchParams({ offset: state.offset, limit: PAGE });
  if (state.query) params.set('q', state.query);
  const page = await fetchJson(`/api/documents?${params}`);
  const rows = page.documents.map((doc) =>
    el('tr', { 'data-id': doc.id },
      el('td', {}, el('a', { href: `/doc/${doc.id}`, class: 'mono' }, doc.id)),
      el('td', { class: 'num' }, doc.changes),
      el('td', { class: 'num' }, bytes(doc.bytes)),
      el('td', {}, doc.lastTime === undefined ? '—' : time(doc.lastTime))));
  document.querySelector('#documents tbody').replaceChildren(...rows);
  const last = Math.min(page.total, state.offset + page.documents.length);
  const one = page.total === 1;
  document.getElementById('count').textContent =
    `${page.total} document${one ? '' : 's'}${state.query ? (one ? ' matches' : ' match') : ''}`;
  document.getElementById('page').textContent = page.total ? `${state.offset + 1}–${last} of ${page.total}` : '';
  document.getElementById('prev').disabled = state.offset === 0;
  document.getElementById('next').disabled = last >= page.total;
}

function reload() {
  load().catch(showError);
}

document.getElementById('search').value = state.query;
document.getElementById('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.query = document.getElementById('search').value.trim();
  state.offset = 0;
  history.replaceState(null, '', state.query ? `/?q=${encodeURIComponent(state.query)}` : '/');
  reload();
});
document.getElementById('prev').addEventListener('click', () => {
  state.offset = Math.max(0, state.offset - PAGE);
  reload();
});
document.getElementById('next').addEventListener('click', () => {
  state.offset += PAGE;
  reload();
});
followChanges(debounce(reload, 300));
reload();
followServer().catch(showError);
