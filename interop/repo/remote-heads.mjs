// Remote-heads gossip through a sync server, with two automerge-repo 2.5.6 clients in one process
// (converge-server's RemoteHeadsIT). Both enable enableRemoteHeadsGossiping; neither connects to
// the other, so whatever the watcher hears of the writer's storage came through the server.
//
//   node repo/remote-heads.mjs WS_URL
//       the writer (with in-memory storage, so it has a storageId) creates a document; the
//       watcher opens it through the server and subscribes to the writer's storage ID and the
//       server's; the writer edits again. Prints one JSON line
//       {url, writerStorageId, serverStorageId, expected, heardWriter, heardServer} (heads as the
//       handle's "remote-heads" events gave them, base58check) and exits 0 once the watcher has
//       heard the writer's latest heads; any failure or timeout exits 1.
import { connect, sleep, storageWithId, TIMEOUT_MS, waitFor } from "./test-client.mjs";

function sameHeads(a, b) {
  return a !== undefined && JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

async function main(wsUrl) {
  const writer = connect(wsUrl, { storage: await storageWithId(), enableRemoteHeadsGossiping: true });
  const watcher = connect(wsUrl, { enableRemoteHeadsGossiping: true });
  const writerStorageId = await writer.storageId();
  const doc = writer.create({ count: 1 });

  let handle;
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    try {
      handle = await watcher.find(doc.url);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`could not open ${doc.url}: ${e.message}`);
      await sleep(100);
    }
  }
  await waitFor("the watcher to know the server", () => watcher.peers.length > 0);
  const serverStorageId = watcher.getStorageIdOfPeer(watcher.peers[0]);
  if (!serverStorageId) throw new Error("the server announced no storageId");

  const heard = {};
  handle.on("remote-heads", ({ storageId, heads }) => {
    heard[storageId] = heads;
  });
  watcher.subscribeToRemotes([writerStorageId, serverStorageId]);
  // Subscribing is a message like any other: give it a moment's head start over the edit by
  // waiting until the first answer about the writer's storage (its current heads) arrives.
  await waitFor("the writer's heads on subscribing", () => sameHeads(heard[writerStorageId], doc.heads()));

  doc.change((d) => {
    d.count = 2;
  });
  const expected = doc.heads();
  await waitFor("the writer's new heads through the server", () =>
    sameHeads(heard[writerStorageId], expected));
  await waitFor("the server's new heads", () => sameHeads(heard[serverStorageId], expected));
  console.log(
    JSON.stringify({
      url: doc.url,
      writerStorageId,
      serverStorageId,
      expected,
      heardWriter: heard[writerStorageId],
      heardServer: heard[serverStorageId],
    }),
  );
  await watcher.shutdown();
  await writer.shutdown();
}

const [wsUrl] = process.argv.slice(2);
if (!wsUrl) {
  console.error("usage: node repo/remote-heads.mjs WS_URL");
  process.exit(2);
}
main(wsUrl).then(
  () => process.exit(0),
  (e) => {
    console.error(e.stack ?? String(e));
    process.exit(1);
  },
);
