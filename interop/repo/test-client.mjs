// What the automerge-repo 2.5.6 clients of the interop tests share: a Repo that syncs with the
// sync server under test over WebSocket, bounded waits, heads as sorted hex, storage with a fixed
// storage ID, steering line by line on stdin, and the exit status converge-server's NodeClient
// reads (0 when done, 1 with the error on stderr). Every wait gives up after TIMEOUT_MS.
import { Repo, decodeHeads } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { MemoryStorage } from "./memory-storage.mjs";

export const TIMEOUT_MS = 30_000;

/**
 * A Repo that shares every document with the server at wsUrl, redialing every 500 ms; options
 * (storage, enableRemoteHeadsGossiping, ...) are added to its configuration.
 */
export function connect(wsUrl, options = {}) {
  return new Repo({
    network: [new WebSocketClientAdapter(wsUrl, 500)],
    sharePolicy: async () => true,
    ...options,
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls condition (which may be async) every 20 ms until it holds; throws after TIMEOUT_MS. */
export async function waitFor(what, condition) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function hexHeads(handle) {
  return decodeHeads(handle.heads()).slice().sort();
}

/** Opens url through the server in a new Repo, retrying while the server does not have it yet. */
export async function open(wsUrl, url) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const repo = connect(wsUrl);
    try {
      return { repo, handle: await repo.find(url) };
    } catch (e) {
      await repo.shutdown();
      if (Date.now() > deadline) throw new Error(`could not open ${url}: ${e.message}`);
      await sleep(100);
    }
  }
}

/**
 * In-memory storage with its storage ID already written, for a Repo that is to report one:
 * automerge-repo 2.5.6 makes one up on every storageId() call until the first one is saved, so
 * the ID the Repo joins with and the one storageId() returns could differ.
 */
export async function storageWithId() {
  const storage = new MemoryStorage();
  await storage.save(["storage-adapter-id"], new TextEncoder().encode(randomUUID()));
  return storage;
}

/**
 * Reads stdin until the line "done", awaiting onLine with every other line (trimmed) in turn;
 * exits 1 if "done" has not come within TIMEOUT_MS.
 */
export async function untilDone(onLine = async () => {}) {
  const lines = createInterface({ input: process.stdin });
  const timeout = setTimeout(() => {
    console.error(`no "done" on stdin within ${TIMEOUT_MS} ms`);
    process.exit(1);
  }, TIMEOUT_MS);
  for await (const line of lines) {
    const command = line.trim();
    if (command === "done") break;
    await onLine(command);
  }
  clearTimeout(timeout);
}

/** Runs main and exits 0, or prints its error to stderr and exits 1. */
export async function run(main) {
  try {
    await main();
    process.exit(0);
  } catch (e) {
    console.error(e.stack || String(e));
    process.exit(1);
  }
}
