// A writer for remote-heads gossip tests with a Java watcher (converge-server's
// JavaClientRemoteHeadsIT), steered line by line on stdin: an automerge-repo 2.5.6 client with
// in-memory storage, so it joins with a storageId and the server gossips its heads. Every wait is
// bounded; any failure or timeout exits 1 with a message on stderr.
//
//   node repo/remote-heads-writer.mjs WS_URL
//       creates a document {count: 1} and prints {"url","storageId","heads"} (heads as hex); on
//       each stdin line "edit" increments count and prints {"heads"} once the server has the
//       change; on "done" prints {"event":"done"} and exits 0.
import { decodeHeads } from "@automerge/automerge-repo";
import { connect, hexHeads, run, storageWithId, untilDone, waitFor } from "./test-client.mjs";

/** Whether the server's sync state says it has our heads. */
function serverHas(repo, handle) {
  const info = repo.peers.length > 0 ? handle.getSyncInfo(repo.getStorageIdOfPeer(repo.peers[0])) : undefined;
  return info !== undefined && JSON.stringify(decodeHeads(info.lastHeads).slice().sort()) === JSON.stringify(hexHeads(handle));
}

async function main(wsUrl) {
  const repo = connect(wsUrl, { storage: await storageWithId() });
  const storageId = await repo.storageId();
  const handle = repo.create({ count: 1 });
  await waitFor("the server to have the document", () => serverHas(repo, handle));
  console.log(JSON.stringify({ url: handle.url, storageId, heads: hexHeads(handle) }));

  await untilDone(async (command) => {
    if (command === "edit") {
      handle.change((d) => {
        d.count += 1;
      });
      await waitFor("the server to have the edit", () => serverHas(repo, handle));
      console.log(JSON.stringify({ heads: hexHeads(handle) }));
    }
  });
  console.log(JSON.stringify({ event: "done" }));
  await repo.shutdown();
}

await run(() => main(process.argv[2]));
