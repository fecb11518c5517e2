// Yjs applying a concurrent editing trace's whole history as one update, the figure to set beside
// Converge applying all of the trace's changes in one applyChanges (`converge bench-trace
// --apply-changes`).
//
//   node --expose-gc converge-bench/node/yjs-history.mjs TRACE.json[.gz] [--warmup N] [--runs N]
//
// First the trace is replayed into Yjs, untimed, by the method the Converge replay uses: one
// Y.Doc per agent (clientID agent + 1); each txn's agent is brought to the version its parents
// name by applying the updates of the txns it has not seen, in trace order, then its patches are
// one Y transaction, whose update is kept. The replica of the last txn then merges every other,
// and its text must be endContent. Y.encodeStateAsUpdate of it is the history.
//
// Then each run (after gc(), outside the time, as the Java side does) applies that update to a
// fresh Y.Doc with Y.applyUpdate, and checks the text afterwards, untimed. Prints one JSON line:
// {"engine":"yjs","trace":..,"update_bytes":..,"runs":[ms...],"apply_update_ms":median}.
//
// Trace positions count code points, Y.Text counts UTF-16 units: for a trace with characters
// beyond U+FFFF each position is converted on the agent's current text (slow, but only in the
// untimed replay); for any other trace the two agree.
import * as Y from "yjs";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";

function parseArgs(argv) {
  const args = { file: null, warmup: 2, runs: 5 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--warmup") args.warmup = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else if (!args.file) args.file = argv[i];
    else throw new Error(`unexpected argument ${argv[i]}`);
  }
  if (!args.file || !(args.runs >= 1) || !(args.warmup >= 0)) {
    throw new Error("usage: yjs-history.mjs TRACE.json[.gz] [--warmup N] [--runs N]");
  }
  return args;
}

export function loadTrace(file) {
  const raw = readFileSync(file);
  const json = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  return JSON.parse(json.toString("utf8"));
}

/** The UTF-16 index of code point `position` in `text`. */
function utf16Index(text, position) {
  let index = 0;
  for (let i = 0; i < position; i++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return index;
}

function applyPatches(doc, patches, astral) {
  const text = doc.getText("text");
  let update = null;
  const keep = (bytes) => {
    update = bytes;
  };
  doc.on("update", keep);
  doc.transact(() => {
    for (const [position, deleteCount, insert] of patches) {
      let at = position;
      let count = deleteCount;
      if (astral) {
        const current = text.toString();
        at = utf16Index(current, position);
        count = utf16Index(current, position + deleteCount) - at;
      }
      if (count > 0) text.delete(at, count);
      if (insert.length > 0) text.insert(at, insert);
    }
  });
  doc.off("update", keep);
  return update;
}

export function history(trace) {
  if (trace.kind !== "concurrent") throw new Error("yjs-history.mjs replays concurrent traces");
  const astral = /[\ud800-\udfff]/.test(JSON.stringify(trace));
  const agents = trace.numAgents;
  const docs = [];
  for (let agent = 0; agent < agents; agent++) {
    const doc = new Y.Doc();
    doc.clientID = agent + 1;
    docs.push(doc);
  }
  const clocks = [];
  const seen = docs.map(() => new Array(agents).fill(0));
  const txnsByAgent = docs.map(() => []);
  const updates = [];
  trace.txns.forEach((txn, index) => {
    const target = new Array(agents).fill(0);
    for (const parent of txn.parents) {
      for (let other = 0; other < agents; other++) {
        target[other] = Math.max(target[other], clocks[parent][other]);
      }
    }
    const agent = txn.agent;
    const missing = [];
    for (let other = 0; other < agents; other++) {
      for (let k = seen[agent][other]; k < target[other]; k++) missing.push(txnsByAgent[other][k]);
      seen[agent][other] = Math.max(seen[agent][other], target[other]);
    }
    missing.sort((a, b) => a - b);
    for (const earlier of missing) {
      if (updates[earlier]) Y.applyUpdate(docs[agent], updates[earlier]);
    }
    updates.push(applyPatches(docs[agent], txn.patches, astral));
    txnsByAgent[agent].push(index);
    seen[agent][agent]++;
    target[agent]++;
    clocks.push(target);
  });
  const last = docs[trace.txns[trace.txns.length - 1].agent];
  for (const doc of docs) {
    if (doc !== last) Y.applyUpdate(last, Y.encodeStateAsUpdate(doc));
  }
  const text = last.getText("text").toString();
  if (text !== trace.endContent) throw new Error("Yjs replay does not end with endContent");
  return Y.encodeStateAsUpdate(last);
}

/**
 * Times Y.applyUpdate of `update` into a fresh Y.Doc `warmup + runs` times, checking the text
 * against endContent after each, and returns the measured times in milliseconds.
 */
export function applyUpdateTimes(trace, update, warmup, runs) {
  const times = [];
  for (let run = 0; run < warmup + runs; run++) {
    if (globalThis.gc) globalThis.gc();
    const start = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    const elapsed = performance.now() - start;
    if (doc.getText("text").toString() !== trace.endContent) {
      throw new Error("Y.applyUpdate of the history does not give endContent");
    }
    if (run >= warmup) times.push(Math.round(elapsed * 10) / 10);
  }
  return times;
}

function main() {
  const { file, warmup, runs } = parseArgs(process.argv.slice(2));
  const trace = loadTrace(file);
  const update = history(trace);
  const times = applyUpdateTimes(trace, update, warmup, runs);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const name = basename(file).replace(/\.gz$/, "").replace(/\.json$/, "");
  process.stdout.write(
    JSON.stringify({
      engine: "yjs",
      trace: name,
      update_bytes: update.length,
      runs: times,
      apply_update_ms: median,
    }) + "\n",
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main();
}
