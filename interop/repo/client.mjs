// An automerge-repo 2.5.6 client for the converge serve interop tests (converge-server's
// ConvergeServeIT). Each command connects to a sync server over WebSocket, does its part, prints
// one JSON line on stdout ({url, heads, value}) and exits 0; any failure exits 1 with a message
// on stderr. Every wait is bounded.
//
//   node repo/client.mjs create WS_URL
//       creates a document, edits it, and waits until the server serves it to a second client
//   node repo/client.mjs open WS_URL DOC_URL [HEADS]
//       opens DOC_URL through the server; with HEADS (comma-separated hex) waits until it has them
//   node repo/client.mjs unavailable WS_URL DOC_URL
//       asks for DOC_URL once and expects the server to answer that it is unavailable; prints
//       {url, unavailable: true, message}
//   node repo/client.mjs concurrent WS_URL DOC_URL NAME COUNT OTHER
//       opens DOC_URL, makes COUNT changes (keys NAME0.., and NAME pushed to items), then waits
//       until the keys OTHER0..OTHER{COUNT-1} of the other client have arrived
import { connect, hexHeads, open, run, sleep, waitFor } from "./test-client.mjs";

function report(handle) {
  return JSON.stringify({ url: handle.url, heads: hexHeads(handle), value: handle.doc() });
}

async function create(wsUrl) {
  const repo = connect(wsUrl);
  const handle = repo.create({ title: "hello from js", items: [] });
  handle.change((d) => {
    d.items.push("apple", "banana");
    d.count = 1;
    d.nested = { flag: true };
  });
  handle.change((d) => {
    d.items.push("cherry");
    d.count = 2;
  });
  const expected = hexHeads(handle);
  // The server has the document once a second client gets it through the server.
  const probe = await open(wsUrl, handle.url);
  await waitFor("the server to serve our heads", () =>
    JSON.stringify(hexHeads(probe.handle)) === JSON.stringify(expected));
  console.log(report(handle));
  await probe.repo.shutdown();
  await repo.shutdown();
}

async function openCommand(wsUrl, url, heads) {
  const { repo, handle } = await open(wsUrl, url);
  if (heads) {
    const expected = heads.split(",").sort();
    await waitFor(`heads ${heads}`, () => JSON.stringify(hexHeads(handle)) === JSON.stringify(expected));
  }
  console.log(report(handle));
  await repo.shutdown();
}

async function concurrent(wsUrl, url, name, count, other) {
  const { repo, handle } = await open(wsUrl, url);
  for (let i = 0; i < count; i++) {
    handle.change((d) => {
      d[`${name}${i}`] = i;
      d.items.push(name);
    });
    await sleep(5);
  }
  handle.change((d) => {
    d.title = `last word from ${name}`;
  });
  await waitFor(`the changes of ${other}`, () => {
    const doc = handle.doc();
    for (let i = 0; i < count; i++) if (doc[`${other}${i}`] !== i) return false;
    return true;
  });
  // Both clients are done once neither head set changes for a while.
  let last = "";
  let stableSince = Date.now();
  await waitFor("heads to settle", () => {
    const now = JSON.stringify(hexHeads(handle));
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    return Date.now() - stableSince > 1000;
  });
  console.log(report(handle));
  await repo.shutdown();
}

async function unavailable(wsUrl, url) {
  const repo = connect(wsUrl);
  let handle;
  try {
    handle = await repo.find(url);
  } catch (e) {
    if (!/unavailable/i.test(e.message)) throw e;
    console.log(JSON.stringify({ url, unavailable: true, message: e.message }));
    await repo.shutdown();
    return;
  }
  throw new Error(`expected ${url} to be unavailable, got ${JSON.stringify(handle.doc())}`);
}

const [command, ...args] = process.argv.slice(2);
await run(async () => {
  switch (command) {
    case "create":
      await create(args[0]);
      break;
    case "open":
      await openCommand(args[0], args[1], args[2]);
      break;
    case "unavailable":
      await unavailable(args[0], args[1]);
      break;
    case "concurrent":
      await concurrent(args[0], args[1], args[2], Number(args[3]), args[4]);
      break;
    default:
      throw new Error(`unknown command ${command}`);
  }
});
