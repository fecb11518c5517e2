// Two pages of the to-do example (examples/todo) in headless Chromium (Debian's, through
// playwright-core), syncing through a converge serve. Run by converge-cli's ExampleTodoBrowserIT:
//
//   node example-todo-browser.mjs ws://127.0.0.1:PORT/ SCREENSHOT_DIR
//
// Serves examples/todo/dist/ (built by examples/todo/build.mjs) on a free port, opens the page
// twice and edits the list in both. Prints {"step":"converged","url":LIST} once both pages show
// the same list, then reads one line on stdin: the title the Java program added, which must
// appear in both pages without a reload. Exits 1 with the reason on stderr on any failure.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../examples/todo/serve.mjs';

const [sync, shots] = process.argv.slice(2);
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'todo', 'dist');
if (!existsSync(join(dist, 'app.js'))) {
  throw new Error(`${dist}/app.js is missing: run node examples/todo/build.mjs`);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 30_000;
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const titles = (page) => page.$$eval('#todos li .title', (spans) => spans.map((s) => s.textContent));
async function waitForTitle(page, title, done = false) {
  await page.waitForFunction(
    ([wanted, ticked]) => [...document.querySelectorAll('#todos li')].some((li) =>
      li.querySelector('.title').textContent === wanted && li.classList.contains('done') === ticked),
    [title, done]);
}
async function add(page, title) {
  await page.fill('#title', title);
  await page.click('#add button');
}

const server = await serveStatic(dist, 0);
const base = `http://127.0.0.1:${server.address().port}/?sync=${encodeURIComponent(sync)}`;
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  const errors = [];
  const open = async (address) => {
    const page = await browser.newPage({ viewport: { width: 720, height: 560 } });
    page.setDefaultTimeout(TIMEOUT);
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(address);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  };

  // Page A makes a new list; page B opens it by its URL.
  const a = await open(base);
  const url = await a.textContent('#url');
  if (!url.startsWith('automerge:')) throw new Error(`page A shows no list URL: ${url}`);
  await add(a, 'buy milk');
  await waitForTitle(a, 'buy milk');
  const b = await open(`${base}#${url}`);
  await waitForTitle(b, 'buy milk');

  // Edits on either side reach the other, without a reload.
  await add(b, 'walk the dog');
  await waitForTitle(a, 'walk the dog');
  await a.check('#todos li[data-index="0"] input[type=checkbox]');
  await waitForTitle(b, 'buy milk', true);
  await a.screenshot({ path: join(shots, '01-page-a.png'), fullPage: true });
  await b.screenshot({ path: join(shots, '02-page-b.png'), fullPage: true });
  const [inA, inB] = [await titles(a), await titles(b)];
  if (JSON.stringify(inA) !== JSON.stringify(inB)) {
    throw new Error(`the pages differ: ${JSON.stringify(inA)} and ${JSON.stringify(inB)}`);
  }
  console.log(JSON.stringify({ step: 'converged', url, titles: inA }));

  // The Java program's edit, through the server.
  const { value: javaTitle } = await stdinLines.next();
  await waitForTitle(a, javaTitle);
  await waitForTitle(b, javaTitle);
  await a.screenshot({ path: join(shots, '03-java-edit-page-a.png'), fullPage: true });
  await b.screenshot({ path: join(shots, '04-java-edit-page-b.png'), fullPage: true });
  const final = [await titles(a), await titles(b)];
  if (JSON.stringify(final[0]) !== JSON.stringify(final[1])) {
    throw new Error(`the pages differ after the Java edit: ${JSON.stringify(final)}`);
  }
  if (errors.length > 0) throw new Error(`errors in the pages: ${errors.join('; ')}`);
  console.log(JSON.stringify({ ok: true, titles: final[0] }));
} finally {
  await browser.close();
  server.close();
}
process.exit(0);
