// A sync peer for Converge's interop tests: one Automerge 3.5.0 document and one sync state,
// driven by a Java test over stdin/stdout.
//
//   node sync-peer.mjs
//
// Frames in both directions are a 4-byte big-endian length, then that many bytes: one kind byte
// and a payload. Every request gets exactly one reply.
//
//   request                          reply
//   'L' saved document (or empty)    'K'           load it (empty: a new document); fresh state
//   'E' "count seed"                 'K'           make `count` random local changes
//   'R'                              'K'           reset the sync state to a fresh one
//   'G'                              'M' message   generateSyncMessage, or 'N' when it is null
//   'M' sync message                 'K'           receiveSyncMessage
//   'H'                              'H' json      {heads, changes: [hash...] in graph order}
//   'S'                              'S' bytes     A.save(doc)
//   'V' saved document               'V' json      {equal, ours, theirs}: toJS of our doc and of
//                                                  the loaded bytes, as JSON
//   'Q'                              (exit 0)
//
// Any failure replies 'X' followed by the error text, and the peer keeps serving. Random edits
// come from a seeded PRNG (mulberry32) and carry fixed times, so a run replays exactly.
import * as A from "@automerge/automerge";

let doc = A.init();
let state = A.initSyncState();

function prng(seed) {
  let s = seed | 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n) => Math.floor(next() * n) };
}

function editOnce(d, random) {
  if (!d.map) d.map = {};
  if (!d.list) d.list = [];
  if (d.text === undefined) d.text = "";
  const choice = random.int(4);
  if (choice === 0) {
    d.map["k" + random.int(8)] = random.int(100);
  } else if (choice === 1) {
    const length = d.list.length;
    if (length > 0 && random.int(3) === 0) {
      d.list.deleteAt(random.int(length));
    } else {
      d.list.insertAt(random.int(length + 1), new A.ImmutableString("v" + random.int(9)));
    }
  } else {
    const length = d.text.length;
    const index = random.int(length + 1);
    const del = length > index && random.int(4) === 0 ? 1 : 0;
    A.splice(d, ["text"], index, del, String.fromCharCode(97 + random.int(26)));
  }
}

function handle(kind, payload) {
  switch (kind) {
    case "L":
      doc = payload.length === 0 ? A.init() : A.load(payload);
      state = A.initSyncState();
      return ["K"];
    case "E": {
      const [count, seed] = new TextDecoder().decode(payload).split(" ").map(Number);
      const random = prng(seed);
      for (let i = 0; i < count; i++) {
        doc = A.change(doc, { time: 0 }, (d) => editOnce(d, random));
      }
      return ["K"];
    }
    case "R":
      state = A.initSyncState();
      return ["K"];
    case "G": {
      const [next, message] = A.generateSyncMessage(doc, state);
      state = next;
      return message === null ? ["N"] : ["M", message];
    }
    case "M": {
      const [nextDoc, nextState] = A.receiveSyncMessage(doc, state, payload);
      doc = nextDoc;
      state = nextState;
      return ["K"];
    }
    case "H": {
      const changes = A.getAllChanges(doc).map((change) => A.decodeChange(change).hash);
      return ["H", JSON.stringify({ heads: A.getHeads(doc).slice().sort(), changes })];
    }
    case "S":
      return ["S", A.save(doc)];
    case "V": {
      const ours = JSON.stringify(A.toJS(doc));
      const theirs = JSON.stringify(A.toJS(A.load(payload)));
      return ["V", JSON.stringify({ equal: ours === theirs, ours, theirs })];
    }
    case "Q":
      process.exit(0);
      return null;
    default:
      throw new Error(`unknown request kind ${JSON.stringify(kind)}`);
  }
}

function writeFrame(kind, payload) {
  const body =
    payload === undefined
      ? new Uint8Array(0)
      : typeof payload === "string"
        ? new TextEncoder().encode(payload)
        : payload;
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(1 + body.length, 0);
  frame.write(kind, 4, "latin1");
  frame.set(body, 5);
  process.stdout.write(frame);
}

let buffered = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32BE(0);
    if (buffered.length < 4 + length) break;
    const kind = String.fromCharCode(buffered[4]);
    const payload = new Uint8Array(buffered.subarray(5, 4 + length));
    buffered = buffered.subarray(4 + length);
    let reply;
    try {
      reply = handle(kind, payload);
    } catch (error) {
      reply = ["X", String(error && error.stack ? error.stack : error)];
    }
    writeFrame(reply[0], reply[1]);
  }
});
process.stdin.on("end", () => process.exit(0));
