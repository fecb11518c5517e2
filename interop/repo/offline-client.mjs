// An automerge-repo 2.5.6 client that goes offline, edits, and catches up when the server is back
// (converge-server's ConvergeServeIT). It is steered through stdin so that the test decides when
// the server is down; it prints one JSON line per phase on stdout. Every wait is bounded.
//
//   node repo/offline-client.mjs WS_URL DOC_URL NAME COUNT EXPECT_KEY
//     1. opens DOC_URL through the server, prints {"phase":"open","heads":[..]}
//     2. on the stdin line "edit" (sent while the server is down) makes COUNT changes
//        (keys NAME0..), prints {"phase":"edited","heads":[..]}
//     3. once reconnected, waits until the document has EXPECT_KEY and the heads settle, prints
//        {"phase":"done","url","heads","value"} and exits 0
import { Repo, decodeHeads } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { createInterface } from "node:readline";

const TIMEOUT_MS = 60_000;
const [wsUrl, url, name, count, expectKey] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const heads = (handle) => decodeHeads(handle.heads()).slice().sort();

async function waitFor(what, condition) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`);
    await sleep(20);
  }
}

async function nextLine(expected) {
  const { value, done } = await lines.next();
  if (done || value.trim() !== expected) throw new Error(`expected "${expected}" on stdin, got ${value}`);
}

try {
  const repo = new Repo({
    network: [new WebSocketClientAdapter(wsUrl, 200)],
    sharePolicy: async () => true,
  });
  const handle = await repo.find(url);
  console.log(JSON.stringify({ phase: "open", heads: heads(handle) }));

  await nextLine("edit");
  for (let i = 0; i < Number(count); i++) {
    handle.change((d) => {
      d[`${name}${i}`] = i;
    });
  }
  console.log(JSON.stringify({ phase: "edited", heads: heads(handle) }));

  await waitFor(`key ${expectKey}`, () => handle.doc()[expectKey] !== undefined);
  let last = "";
  let stableSince = Date.now();
  await waitFor("heads to settle", () => {
    const now = JSON.stringify(heads(handle));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    return Date.now() - stableSince > 1000;
  });
  console.log(JSON.stringify({ phase: "done", url, heads: heads(handle), value: handle.doc() }));
  await repo.shutdown();
  process.exit(0);
} catch (e) {
  console.error(e.stack || String(e));
  process.exit(1);
}
