// The to-do page: a stock automerge-repo Repo in the browser, syncing one document through
// `converge serve` over automerge-repo's own WebSocket adapter. Bundled by build.mjs (esbuild)
// into dist/app.js, so the page loads nothing from the network but its own files and the
// WebSocket.
//
// The document: { todos: [ { title: "buy milk", done: false }, ... ] }. The list's URL
// (automerge:...) is the part of the page's address after '#': open the same address in another
// window, or give it to the Java program, to edit the same list.
import { Repo, initializeBase64Wasm, isValidAutomergeUrl } from '@automerge/automerge-repo/slim';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { automergeWasmBase64 } from '@automerge/automerge/automerge.wasm.base64';

// The slim entry points leave loading Automerge's WebAssembly to us: from the bundle itself, as
// base64, so the page needs no loader for .wasm files.
await initializeBase64Wasm(automergeWasmBase64);

// ?sync=ws://HOST:PORT/ names the sync server; by default converge serve on this host's port 3030.
const params = new URLSearchParams(location.search);
const syncUrl = params.get('sync') ?? `ws://${location.hostname || '127.0.0.1'}:3030/`;
const repo = new Repo({ network: [new WebSocketClientAdapter(syncUrl)] });

const list = document.querySelector('#todos');
const form = document.querySelector('#add');
const input = document.querySelector('#title');

const fromAddress = decodeURIComponent(location.hash.slice(1));
let handle;
if (isValidAutomergeUrl(fromAddress)) {
  handle = await repo.find(fromAddress);
} else {
  handle = repo.create({ todos: [] });
  history.replaceState(null, '', `#${handle.url}`);
}
document.querySelector('#url').textContent = handle.url;
document.querySelector('#java').textContent =
  `examples/todo/todo ${handle.url} add "call the plumber"`;

function render(doc) {
  const items = (doc?.todos ?? []).map((todo, index) => {
    const item = document.createElement('li');
    item.dataset.index = String(index);
    item.classList.toggle('done', Boolean(todo.done));
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = Boolean(todo.done);
    box.setAttribute('aria-label', `done: ${todo.title}`);
    box.addEventListener('change', () => handle.change((d) => { d.todos[index].done = box.checked; }));
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = String(todo.title ?? '');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = '×';
    remove.setAttribute('aria-label', `remove ${todo.title}`);
    remove.addEventListener('click', () => handle.change((d) => { d.todos.splice(index, 1); }));
    item.append(box, title, remove);
    return item;
  });
  list.replaceChildren(...items);
  const open = (doc?.todos ?? []).filter((todo) => !todo.done).length;
  document.querySelector('#count').textContent = `${open} to do`;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const title = input.value.trim();
  if (title === '') return;
  handle.change((d) => {
    if (!Array.isArray(d.todos)) d.todos = [];
    d.todos.push({ title, done: false });
  });
  input.value = '';
});

handle.on('change', ({ doc }) => render(doc));
render(handle.doc());
document.body.dataset.ready = 'true';
