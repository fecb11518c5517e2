// Ephemeral messages between an automerge-repo 2.5.6 client and a Java RepoPeer through a sync
// server (converge-server's EphemeralInteropIT), steered line by line on stdin. Every wait is
// bounded; any failure or timeout exits 1 with a message on stderr.
//
//   node repo/ephemeral.mjs WS_URL DOC_URL
//       opens DOC_URL through the server, listens with handle.on("ephemeral-message") and prints
//       {"event":"opened","peerId"} once open. For every message it hears it prints
//       {"event":"received","senderId","message"}; on hearing {"from":"java","n":N} it answers
//       with handle.broadcast({"from":"js","n":N}) twice, the second time with N+1. On the stdin
//       line "done" it prints {"event":"done"} and exits 0.
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { createInterface } from "node:readline";

const TIMEOUT_MS = 30_000;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Opens url through the server, retrying while the server does not have it yet. */
async function open(wsUrl, url) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const repo = new Repo({ network: [new WebSocketClientAdapter(wsUrl, 500)], sharePolicy: async () => true });
    try {
      return { repo, handle: await repo.find(url) };
    } catch (e) {
      await repo.shutdown();
      if (Date.now() > deadline) throw new Error(`could not open ${url}: ${e.message}`);
      await sleep(100);
    }
  }
}

function print(value) {
  console.log(JSON.stringify(value));
}

async function main(wsUrl, url) {
  const { repo, handle } = await open(wsUrl, url);
  handle.on("ephemeral-message", ({ senderId, message }) => {
    print({ event: "received", senderId, message });
    if (message && message.from === "java") {
      handle.broadcast({ from: "js", n: message.n });
      handle.broadcast({ from: "js", n: message.n + 1 });
    }
  });
  print({ event: "opened", peerId: repo.peerId });

  const lines = createInterface({ input: process.stdin });
  const timeout = setTimeout(() => {
    console.error(`no "done" on stdin within ${TIMEOUT_MS} ms`);
    process.exit(1);
  }, TIMEOUT_MS);
  for await (const line of lines) {
    if (line.trim() === "done") break;
  }
  clearTimeout(timeout);
  print({ event: "done" });
  await repo.shutdown();
}

try {
  await main(process.argv[2], process.argv[3]);
  process.exit(0);
} catch (e) {
  console.error(e.stack || String(e));
  process.exit(1);
}
