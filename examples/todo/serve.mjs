// Serves the built page (dist/) over HTTP on 127.0.0.1, read-only, with nothing but Node itself:
//
//   node serve.mjs [--port 3040] [--sync ws://127.0.0.1:3030/]    prints the page's address
//
// Other scripts import serveStatic() to start it on a port of their choosing (0: any free one).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves the files of `dir` at 127.0.0.1:`port`; resolves to the listening http.Server. */
export function serveStatic(dir, port) {
  const root = normalize(dir + sep);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (request.method !== 'GET' || !file.startsWith(root) || !(extname(file) in TYPES)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)], 'cache-control': 'no-cache' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name, otherwise) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : otherwise;
  };
  const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');
  const server = await serveStatic(dist, Number(option('--port', '3040')));
  const sync = option('--sync', undefined);
  const query = sync === undefined ? '' : `?sync=${encodeURIComponent(sync)}`;
  console.log(`http://127.0.0.1:${server.address().port}/${query}`);
}
