// Shared by the inspector's pages: fetching JSON, elements, formats and the live event stream.

/** GET a JSON reply; an error reply throws its message. */
export async function fetchJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

/** An element with attributes and children; strings become text nodes (never HTML). */
export function el(tag, attributes = {}, ...children) {
  const isSvg = ['svg', 'g', 'circle', 'line', 'path', 'rect', 'title', 'text'].includes(tag);
  const node = isSvg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'onclick') node.addEventListener('click', value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

export function bytes(count) {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}

/** A change time (seconds since the epoch) as local date and time; 0 is "no time". */
export function time(seconds) {
  if (!seconds) return '—';
  return new Date(seconds * 1000).toLocaleString();
}

export function showError(error) {
  const box = document.getElementById('error');
  box.textContent = String(error.message ?? error);
  box.hidden = false;
}

/**
 * Follows the server's change events; calls onChange(doc, offset) for each and marks the live
 * indicator. EventSource reconnects by itself after a drop.
 */
export function followChanges(onChange) {
  const indicator = document.getElementById('live');
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => {
    indicator.textContent = 'live';
    indicator.classList.add('on');
  });
  source.addEventListener('error', () => {
    indicator.textContent = 'reconnecting…';
    indicator.classList.remove('on');
  });
  source.addEventListener('change', (event) => {
    const data = JSON.parse(event.data);
    onChange(data.doc, data.offset);
  });
  return source;
}

/** Runs fn at most once per frame of `millis`, the last call winning. */
export function debounce(fn, millis) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), millis);
  };
}
