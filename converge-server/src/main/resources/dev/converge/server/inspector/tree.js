// The value as a collapsible tree. Each object is fetched when it is opened, one page at a time,
// so a document of any size costs one request per open node.
import { el, fetchJson } from './common.js';

const OPEN_DEPTH = 3;
const OPEN_LENGTH_MAX = 50;

/** Renders the root of document `docId` at `version` (query text such as "at_count=5", or ""). */
export async function renderTree(container, docId, version) {
  const root = await loadObject(docId, version, '_root', 0);
  const list = el('ul', {});
  await fillObject(list, docId, version, root, 0);
  container.replaceChildren(list);
}

async function loadObject(docId, version, obj, from) {
  const params = new URLSearchParams(version);
  params.set('obj', obj);
  params.set('from', from);
  return (await fetchJson(`/api/doc/${docId}/value?${params}`)).object;
}

/** Appends the entries of one page of `object` to `list`, and a "more" button if it goes on. */
async function fillObject(list, docId, version, object, depth) {
  if (object.type === 'text') {
    list.append(el('li', {}, textNode(object)));
  } else {
    for (const entry of object.entries) {
      list.append(await entryNode(docId, version, entry, depth));
    }
  }
  const shown = object.from + (object.type === 'text' ? object.text.length : object.entries.length);
  if (shown < object.length) {
    const more = el('button', { type: 'button' }, `show more (${object.length - shown} left)`);
    more.addEventListener('click', async () => {
      more.remove();
      const next = await loadObject(docId, version, object.id, shown);
      await fillObject(list, docId, version, next, depth);
    });
    list.append(el('li', {}, more));
  }
}

async function entryNode(docId, version, entry, depth) {
  const label = entry.key !== undefined ? el('span', { class: 'key' }, JSON.stringify(entry.key)) : el('span', { class: 'key' }, `[${entry.index}]`);
  const conflicts = entry.conflicts ? conflictNode(entry.conflicts) : null;
  const value = entry.value;
  if (!isObject(value)) {
    return el('li', { 'data-path-key': entry.key ?? entry.index }, label, ': ', scalarNode(value), conflicts);
  }
  const children = el('ul', {});
  const details = el('details', { 'data-obj': value.id },
    el('summary', {}, label, ': ', el('span', { class: 'type' }, `${value.type} (${value.length})`)), children);
  let loaded = false;
  const load = async () => {
    if (loaded) return;
    loaded = true;
    const object = await loadObject(docId, version, value.id, 0);
    await fillObject(children, docId, version, object, depth + 1);
  };
  details.addEventListener('toggle', () => { if (details.open) load(); });
  if (depth + 1 < OPEN_DEPTH && value.length <= OPEN_LENGTH_MAX) {
    details.open = true;
    await load();
  }
  return el('li', { 'data-path-key': entry.key ?? entry.index }, details, conflicts);
}

function isObject(value) {
  return value.type === 'map' || value.type === 'list' || value.type === 'text' || value.type === 'table';
}

export function scalarNode(value) {
  switch (value.type) {
    case 'str': return el('span', { class: 'str' }, JSON.stringify(value.value));
    case 'int': case 'uint': case 'float': return el('span', { class: 'num-v' }, value.value);
    case 'counter': return el('span', { class: 'counter' }, value.value, el('span', { class: 'badge' }, 'counter'));
    case 'boolean': return el('span', { class: 'num-v' }, String(value.value));
    case 'null': return el('span', { class: 'type' }, 'null');
    case 'timestamp': return el('span', { class: 'num-v' }, new Date(value.value).toISOString(), el('span', { class: 'badge' }, 'timestamp'));
    case 'bytes': return el('span', { class: 'mono' }, value.value, el('span', { class: 'badge' }, 'bytes'));
    default:
      if (isObject(value)) return el('span', { class: 'type' }, `${value.type} ${value.id}`);
      return el('span', { class: 'mono' }, `${value.type} ${value.value}`);
  }
}

/** Every concurrent value with the actor that wrote it; the one a plain read returns in bold. */
function conflictNode(conflicts) {
  return el('div', { class: 'conflict' },
    el('span', { class: 'badge' }, `conflict: ${conflicts.length} values`),
    el('ul', {}, conflicts.map((conflict) =>
      el('li', { class: conflict.winner ? 'winner' : '', 'data-actor': conflict.actor },
        scalarNode(conflict.value), ' by ', el('code', { title: conflict.opId }, conflict.actor.slice(0, 8)),
        conflict.winner ? ' (shown)' : ''))));
}

/** A text page with its marks: a span per run of characters with the same marks. */
function textNode(object) {
  const text = object.text;
  const cuts = new Set([0, text.length]);
  for (const mark of object.marks) { cuts.add(mark.start); cuts.add(mark.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = el('div', { class: 'text', 'data-obj': object.id });
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const on = object.marks.filter((mark) => mark.start <= start && mark.end >= end);
    if (on.length === 0) {
      box.append(text.slice(start, end));
      continue;
    }
    const classes = on.map((mark) => (['bold', 'italic', 'link'].includes(mark.name) ? `m-${mark.name}` : 'm-other'));
    const title = on.map((mark) => `${mark.name}=${JSON.stringify(mark.value.value)}`).join(', ');
    box.append(el('span', { class: classes.join(' '), title, 'data-marks': title }, text.slice(start, end)));
  }
  const names = [...new Set(object.marks.map((mark) => mark.name))];
  return names.length ? el('div', {}, box, el('div', { class: 'type' }, `marks: ${names.join(', ')}`)) : box;
}
