// A writer for remote-heads gossip tests with a Java watcher (converge-server's
// JavaClientRemoteHeadsIT), steered line by line on stdin: an automerge-repo 2.5.6 client with
// in-memory storage, so it joins with a storageId and the server gossips its heads. Every wait is
// bounded; any failure or timeout exits 1 with a message on stderr.
//
//   node repo/remote-heads-writer.mjs WS_URL
//       creates a document {count: 1} and prints {"url","storageId","heads"} (heads as hex); on
//       each stdin line "edit" increments count and prints {"heads"} once the server has the
//       change; on "done" prints {"event":"done"} and exits 0.
import { Repo, decodeHeads } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { MemoryStorage } from "./memory-storage.mjs";

const TIMEOUT_MS = 30_000;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(what, condition) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`);
    await sleep(20);
  }
}

function hexHeads(handle) {
  return decodeHeads(handle.heads()).slice().sort();
}

/** Whether the server's sync state says it has our heads. */
function serverHas(repo, handle) {
  const info = repo.peers.length > 0 ? handle.getSyncInfo(repo.getStorageIdOfPeer(repo.peers[0])) : undefined;
  return info !== undefined && JSON.stringify(decodeHeads(info.lastHeads).slice().sort()) === JSON.stringify(hexHeads(handle));
}

async function main(wsUrl) {
  // The storage ID is written before the Repo starts (see remote-heads.mjs).
  const storage = new MemoryStorage();
  await storage.save(["storage-adapter-id"], new TextEncoder().encode(randomUUID()));
  const repo = new Repo({
    network: [new WebSocketClientAdapter(wsUrl, 500)],
    storage,
    sharePolicy: async () => true,
  });
  const storageId = await repo.storageId();
  const handle = repo.create({ count: 1 });
  await waitFor("the server to have the document", () => serverHas(repo, handle));
  console.log(JSON.stringify({ url: handle.url, storageId, heads: hexHeads(handle) }));

  const lines = createInterface({ input: process.stdin });
  const timeout = setTimeout(() => {
    console.error(`no "done" on stdin within ${TIMEOUT_MS} ms`);
    process.exit(1);
  }, TIMEOUT_MS);
  for await (const line of lines) {
    const command = line.trim();
    if (command === "done") break;
    if (command === "edit") {
      handle.change((d) => {
        d.count += 1;
      });
      await waitFor("the server to have the edit", () => serverHas(repo, handle));
      console.log(JSON.stringify({ heads: hexHeads(handle) }));
    }
  }
  clearTimeout(timeout);
  console.log(JSON.stringify({ event: "done" }));
  await repo.shutdown();
}

try {
  await main(process.argv[2]);
  process.exit(0);
} catch (e) {
  console.error(e.stack || String(e));
  process.exit(1);
}
