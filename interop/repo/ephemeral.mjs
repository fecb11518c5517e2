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
import { open, run, untilDone } from "./test-client.mjs";

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

  await untilDone();
  print({ event: "done" });
  await repo.shutdown();
}

await run(() => main(process.argv[2], process.argv[3]));
