// Measures how long the inspector's document page takes to load in headless Chromium (Debian's,
// through playwright-core): from navigation to the page marking itself ready (summary, the newest
// page of history with its graph, and the value's root all drawn). Not part of the build; see
// README, "converge ui".
//
//   node inspector-load-time.mjs BASE_URL DOCUMENT_ID [--runs N]
//   node inspector-load-time.mjs BASE_URL - [--runs N]      (the documents page instead)
//
// Prints one JSON line per run: {"run","load_ms","changes","graph_nodes"} (the documents page:
// {"run","load_ms","rows","count"}). The first run is cold
// when the inspector has not shown the document yet (it loads the document and lays out its
// graph); later runs are warm.
import { chromium } from 'playwright-core';

const [base, doc, ...rest] = process.argv.slice(2);
const runsIndex = rest.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(rest[runsIndex + 1]) : 5;
if (!base || !doc || !(runs > 0)) {
  console.error('usage: node inspector-load-time.mjs BASE_URL DOCUMENT_ID [--runs N]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
try {
  for (let run = 1; run <= runs; run++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(600_000);
    const started = Date.now();
    if (doc === '-') {
      await page.goto(base);
      await page.waitForSelector('#documents tbody tr');
      const loadMs = Date.now() - started;
      const rows = await page.locator('#documents tbody tr').count();
      console.log(JSON.stringify({ run, load_ms: loadMs, rows, count: await page.textContent('#count') }));
      await page.close();
      continue;
    }
    await page.goto(new URL(`doc/${doc}`, base).toString());
    await page.waitForSelector('body[data-ready="true"]');
    const loadMs = Date.now() - started;
    const changes = Number(await page.textContent('#doc-changes'));
    const nodes = await page.locator('#graph circle.node').count();
    console.log(JSON.stringify({ run, load_ms: loadMs, changes, graph_nodes: nodes }));
    if (run === runs && process.env.SCREENSHOT) {
      await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    }
    await page.close();
  }
} finally {
  await browser.close();
}
