// The JavaScript automerge-repo 2.5.6 sync server, as the public one is set up: a Repo with
// NodeWSServerAdapter and sharePolicy false (it announces nothing and serves any document asked
// for by ID), with storage (here in memory, so it reports a storageId and isEphemeral: false).
// Used by the Java client interop tests and the network load benchmark.
//
//   node repo/sync-server.mjs [PORT]
//       listens on 127.0.0.1:PORT (default 0: a free port) and prints one JSON line
//       {"url":"ws://127.0.0.1:PORT/","pid":PID}; then runs until SIGTERM or SIGINT, or until
//       stdin closes (so it never outlives the process that started it). Each stdin line "stats"
//       is answered with {"rssBytes":N,"heapUsedBytes":N} on stdout.
import { Repo } from "@automerge/automerge-repo";
import { NodeWSServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { WebSocketServer } from "ws";
import { createInterface } from "node:readline";
import { MemoryStorage } from "./memory-storage.mjs";

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ host: "127.0.0.1", port });
await new Promise((resolve, reject) => {
  wss.once("listening", resolve);
  wss.once("error", reject);
});
const repo = new Repo({
  network: [new NodeWSServerAdapter(wss)],
  storage: new MemoryStorage(),
  peerId: `js-sync-server-${process.pid}`,
  sharePolicy: async () => false,
});
console.log(JSON.stringify({ url: `ws://127.0.0.1:${wss.address().port}/`, pid: process.pid }));


let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // A shutdown that waits on documents still being requested can hang: exit regardless.
  setTimeout(() => process.exit(0), 2000).unref();
  try {
    await repo.shutdown();
  } catch (e) {
    console.error(`shutdown: ${e.message}`);
  }
  wss.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  if (line.trim() === "stats") {
    const m = process.memoryUsage();
    console.log(JSON.stringify({ rssBytes: m.rss, heapUsedBytes: m.heapUsed }));
  }
});
commands.on("close", stop);
