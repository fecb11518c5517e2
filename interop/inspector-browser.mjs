// Drives the inspector in headless Chromium (Debian's, through playwright-core) and checks what
// a person would see. Run by converge-server's InspectorBrowserIT:
//
//   node inspector-browser.mjs BASE_URL EXPECTED.json SCREENSHOT_DIR
//
// EXPECTED.json: {"doc", "hashes": [every change, applied order], "title", "oldTitle",
// "searchWord", "actors": [two actors of a conflict], "liveText"}. Prints one JSON line per step;
// after {"step":"waiting-for-edit"} it reads one line on stdin (the test made a live edit) and
// waits for the edit to show without a reload. Exits 1 with the reason on stderr on any failure.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [base, expectedFile, shots] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 20_000;

function check(condition, message) {
  if (!condition) throw new Error(message);
}
function step(name, details = {}) {
  console.log(JSON.stringify({ step: name, ...details }));
}
const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(TIMEOUT);
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(String(error)));

  // The documents, then a search.
  await page.goto(base);
  await page.locator(`#documents tr[data-id="${expected.doc}"]`).waitFor();
  await page.screenshot({ path: join(shots, '01-documents.png'), fullPage: true });
  await page.fill('#search', expected.searchWord);
  await page.click('#search-form button');
  await page.waitForFunction(
    (doc) => document.querySelectorAll('#documents tbody tr').length === 1
      && document.querySelector(`#documents tr[data-id="${doc}"]`) !== null,
    expected.doc);
  await page.screenshot({ path: join(shots, '02-search.png'), fullPage: true });
  step('documents');

  // The document: value, every change, a graph node per change.
  await page.goto(`${base}doc/${expected.doc}`);
  await page.waitForSelector('body[data-ready="true"]');
  const value = await page.textContent('#value');
  check(value.includes(expected.title), `the value lacks the title ${expected.title}: ${value}`);
  const rows = await page.$$eval('#changes li', (items) => items.map((item) => item.dataset.hash));
  const listed = await page.textContent('#changes');
  for (const hash of expected.hashes) {
    check(rows.includes(hash), `the history lacks change ${hash}`);
    check(listed.includes(hash.slice(0, 8)), `the history does not show ${hash.slice(0, 8)}`);
  }
  check(rows.length === expected.hashes.length, `history rows ${rows.length}, changes ${expected.hashes.length}`);
  const nodes = await page.$$eval('#graph circle.node', (circles) => circles.map((c) => ({
    hash: c.dataset.hash, cx: c.getAttribute('cx'), merge: c.classList.contains('merge'),
  })));
  check(nodes.length === expected.hashes.length, `graph nodes ${nodes.length}, changes ${expected.hashes.length}`);
  check(new Set(nodes.map((n) => n.hash)).size === nodes.length, 'two graph nodes for one change');
  check(new Set(nodes.map((n) => n.cx)).size >= 2, 'concurrent branches are not side by side');
  check(nodes.some((n) => n.merge), 'no merge node');
  const conflict = await page.textContent('#value .conflict');
  for (const actor of expected.actors) {
    check(conflict.includes(actor.slice(0, 8)), `the conflict does not show actor ${actor.slice(0, 8)}`);
  }
  check(await page.locator('#value .text span[data-marks*="bold"]').count() > 0, 'no bold mark in the text');
  await page.screenshot({ path: join(shots, '03-document.png'), fullPage: true });
  step('document', { nodes: nodes.length });

  // Time travel by a click on the first change: the old title, and the diff of that change.
  await page.click(`#changes li[data-hash="${expected.hashes[0]}"]`);
  await page.waitForFunction((title) => document.querySelector('#value').textContent.includes(title), expected.oldTitle);
  check(!(await page.textContent('#value')).includes(expected.title), 'time travel still shows the new title');
  await page.waitForFunction(() => document.querySelectorAll('#diff li').length > 0);
  await page.screenshot({ path: join(shots, '04-time-travel-click.png'), fullPage: true });
  step('time-travel-click');

  // Time travel by the slider, to one change.
  await page.$eval('#slider', (slider) => {
    slider.value = '1';
    slider.dispatchEvent(new Event('input'));
  });
  await page.waitForFunction(() => document.querySelector('#version-label').textContent.startsWith('after 1 '));
  await page.waitForFunction((title) => document.querySelector('#value').textContent.includes(title), expected.oldTitle);
  step('time-travel-slider');

  // A diff between the first and the last change, picked with A and B.
  await page.click(`#changes li[data-hash="${expected.hashes[0]}"] button[title="diff side A"]`);
  await page.click(`#changes li[data-hash="${expected.hashes.at(-1)}"] button[title="diff side B"]`);
  // Wait for the diff of A and B both: the one drawn after the click on A alone may come first.
  await page.waitForFunction(
    (label) => document.querySelector('#diff-title').textContent.includes(label),
    `from ${expected.hashes[0].slice(0, 8)} to ${expected.hashes.at(-1).slice(0, 8)}:`);
  const diff = await page.textContent('#diff');
  check(diff.includes(expected.title), `the diff does not show the new title: ${diff}`);
  await page.screenshot({ path: join(shots, '05-diff.png'), fullPage: true });
  step('diff');

  // Live: back to now, the test edits, the edit appears without a reload.
  await page.click('#to-now');
  await page.waitForFunction(() => document.querySelector('#version-label').textContent === 'now');
  await page.waitForSelector('#live.on');
  const before = await page.evaluate(() => performance.timeOrigin);
  step('waiting-for-edit');
  await stdinLines.next();
  await page.waitForFunction((text) => document.querySelector('#value').textContent.includes(text), expected.liveText);
  const after = await page.evaluate(() => performance.timeOrigin);
  check(before === after, 'the page was reloaded');
  await page.waitForFunction((count) => document.querySelectorAll('#graph circle.node').length === count, expected.hashes.length + 1);
  await page.screenshot({ path: join(shots, '06-live-edit.png'), fullPage: true });
  check(consoleErrors.length === 0, `page errors: ${consoleErrors.join('; ')}`);
  step('live');
  console.log(JSON.stringify({ ok: true }));
} finally {
  await browser.close();
}
process.exit(0);
