// An automerge-repo 2.5.6 client for the cluster tests (converge-cluster's ClusterJsIT): one of
// several clients, each connected to a different node of a cluster, that edit one document at the
// same time. It prints one JSON line on stdout ({url, heads, value}) and exits 0; any failure
// exits 1 with a message on stderr. Every wait is bounded.
//
//   node repo/cluster-client.mjs edit WS_URL DOC_URL NAME COUNT OTHERS
//       opens DOC_URL through the node at WS_URL, makes COUNT changes (keys NAME0.., and NAME
//       pushed to the list "items"), waits until the keys of every client named in OTHERS
//       (comma-separated) have arrived, then until the heads stop moving for 1.5 s
import { hexHeads, open, run, sleep, waitFor } from "./test-client.mjs";

async function edit(wsUrl, url, name, count, others) {
  const { repo, handle } = await open(wsUrl, url);
  for (let i = 0; i < count; i++) {
    handle.change((d) => {
      d[`${name}${i}`] = i;
      d.items.push(name);
    });
    await sleep(3);
  }
  await waitFor(`the changes of ${others.join(", ")}`, () => {
    const doc = handle.doc();
    return others.every((other) => {
      for (let i = 0; i < count; i++) if (doc[`${other}${i}`] !== i) return false;
      return true;
    });
  });
  let last = "";
  let stableSince = Date.now();
  await waitFor("heads to settle", () => {
    const now = JSON.stringify(hexHeads(handle));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    return Date.now() - stableSince > 1500;
  });
  console.log(JSON.stringify({ url: handle.url, heads: hexHeads(handle), value: handle.doc() }));
  await repo.shutdown();
}

const [command, ...args] = process.argv.slice(2);
await run(async () => {
  if (command !== "edit") throw new Error(`unknown command ${command}`);
  await edit(args[0], args[1], args[2], Number(args[3]), args[4].split(","));
});
