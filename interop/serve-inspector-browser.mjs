// The inspector of `converge serve` in headless Chromium (Debian's, through playwright-core),
// while two automerge-repo 2.5.6 clients in this process edit a document through the server. Run
// by converge-server's ServeInspectorBrowserIT:
//
//   node serve-inspector-browser.mjs HTTP_BASE ADMIN_SECRET USER_SECRET SCREENSHOT_DIR
//
// The clients connect with USER_SECRET (a token that may sync but is no administrator). Checks: a
// browser without credentials is refused (401), one with USER_SECRET too (403); with ADMIN_SECRET
// the documents page shows both clients as peers and the metrics as charts, the document's page
// shows the value and each client's heads, in sync, and a client's edit appears without a reload.
// Prints {"ok":true,...} at the end; exits 1 with the reason on stderr on any failure.
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { connect, hexHeads, waitFor } from './repo/test-client.mjs';

const [base, adminSecret, userSecret, shots] = process.argv.slice(2);
const ws = `${base.replace(/^http/, 'ws')}?token=${encodeURIComponent(userSecret)}`;
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 30_000;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Two clients edit one document through the server.
const alice = connect(ws);
const handle = alice.create({ title: 'shopping list', items: ['apple'] });
handle.change((d) => { d.items.push('bread'); });
const docId = handle.documentId;
// Bob asks for the document once the server stores it (its document list, as an administrator).
await waitFor('the server to store the document', async () => {
  const response = await fetch(`${base}api/documents`, { headers: { authorization: `Bearer ${adminSecret}` } });
  return response.ok && (await response.json()).documents.some((doc) => doc.id === docId);
});
const bob = connect(ws);
const theirs = await bob.find(handle.url);
await waitFor('bob to have alice\'s heads', () =>
  JSON.stringify(hexHeads(theirs)) === JSON.stringify(hexHeads(handle)));
theirs.change((d) => { d.items.push('cheese'); });
await waitFor('alice to have bob\'s change', () => handle.doc().items.length === 3);

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  // Refused: no credentials, then a token that is no administrator's.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  // Chromium, asked for credentials it does not have, ends the navigation with an auth error.
  const navigation = await strangerPage.goto(base).then((response) => response.status(), (error) => String(error));
  check(navigation === 401 || navigation.includes('ERR_INVALID_AUTH_CREDENTIALS'), `no credentials: ${navigation}`);
  await strangerPage.waitForLoadState();
  check(await strangerPage.locator('#documents').count() === 0, 'the refused page shows the inspector');
  const refused = await stranger.request.get(base);
  check(refused.status() === 401, `no credentials: status ${refused.status()}, expected 401`);
  check(refused.headers()['www-authenticate']?.startsWith('Basic'), 'no Basic challenge');
  const user = await browser.newContext({ httpCredentials: { username: 'bob', password: userSecret } });
  const userPage = await user.newPage();
  const forbidden = await userPage.goto(base);
  check(forbidden.status() === 403, `a user's token: status ${forbidden.status()}, expected 403`);
  check((await userPage.textContent('body')).includes('is not an administrator'), 'the 403 page says why');
  await userPage.screenshot({ path: join(shots, '01-refused.png') });
  console.log(JSON.stringify({ step: 'refused' }));

  // The administrator: peers and charts on the documents page.
  const admin = await browser.newContext({
    httpCredentials: { username: 'admin', password: adminSecret },
    viewport: { width: 1400, height: 1000 },
  });
  const page = await admin.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  const opened = await page.goto(base);
  check(opened.status() === 200, `the administrator: status ${opened.status()}`);
  await page.locator(`#documents tr[data-id="${docId}"]`).waitFor();
  await page.locator('#server').waitFor({ state: 'visible' });
  for (const peer of [alice.peerId, bob.peerId]) {
    await page.locator(`#peers tr[data-peer="${peer}"]`).waitFor();
  }
  // Two samples at least (one every 5 s) make a line.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#charts .chart path.line')].some((path) => path.getAttribute('d').includes('L')),
  null, { timeout: 20_000 });
  const charts = await page.$$eval('#charts .chart', (figures) => figures.map((f) => f.dataset.series));
  check(charts.includes('connections') && charts.includes('messagesReceivedPerSecond'), `charts: ${charts}`);
  const connections = await page.textContent('#charts .chart[data-series="connections"] strong');
  check(Number(connections) >= 2, `the connections chart shows ${connections}`);
  await page.screenshot({ path: join(shots, '02-server.png'), fullPage: true });
  console.log(JSON.stringify({ step: 'server', charts }));

  // The document: its value, and each client's heads, in sync with the server's.
  await page.goto(`${base}doc/${docId}`);
  await page.waitForSelector('body[data-ready="true"]');
  const value = await page.textContent('#value');
  check(value.includes('shopping list') && value.includes('cheese'), `the value: ${value}`);
  await page.locator('#peers-panel').waitFor({ state: 'visible' });
  for (const peer of [alice.peerId, bob.peerId]) {
    await page.waitForFunction((id) => {
      const row = document.querySelector(`#doc-peers tr[data-peer="${id}"]`);
      return row !== null && row.querySelector('.behind').textContent === 'in sync';
    }, peer);
  }
  const heads = hexHeads(handle).map((h) => h.slice(0, 8));
  const peersText = await page.textContent('#doc-peers');
  for (const head of heads) check(peersText.includes(head), `the peers panel lacks head ${head}`);
  await page.screenshot({ path: join(shots, '03-document-peers.png'), fullPage: true });
  console.log(JSON.stringify({ step: 'document' }));

  // A client's edit appears without a reload; the peers' heads follow.
  const before = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  handle.change((d) => { d.title = 'shopping list, edited live'; });
  await page.waitForFunction(() => document.querySelector('#value').textContent.includes('edited live'));
  const newHead = hexHeads(handle)[0].slice(0, 8);
  await page.waitForFunction((head) => document.querySelector('#doc-peers').textContent.includes(head), newHead);
  const after = await page.evaluate(() => performance.getEntriesByType('navigation').length);
  check(before === after, 'the page was reloaded');
  await page.screenshot({ path: join(shots, '04-live-edit.png'), fullPage: true });
  check(errors.length === 0, `errors in the page: ${errors.join('; ')}`);
  console.log(JSON.stringify({ ok: true, doc: docId, peers: [alice.peerId, bob.peerId] }));
} finally {
  await browser.close();
  await alice.shutdown();
  await bob.shutdown();
}
process.exit(0);
