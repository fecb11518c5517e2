// A long-running loader: asks @automerge/automerge what it makes of each file it is sent, so a
// caller can compare another loader with it file by file without starting Node for each.
//
//   node verdict.mjs        (then frames on stdin, one JSON line per frame on stdout)
//
// A request frame is one mode byte, a 4-byte big-endian length, then that many bytes:
//   "L"  A.load(bytes); answers {ok:true, heads, value} with value in the typed shape of typed.mjs,
//        or {ok:false, error}. If the document loads but its value cannot be read, the answer is
//        {ok:true, heads, valueError}.
//   "U"  A.load(bytes, {unchecked: true}), which skips the check of a document chunk's stored
//        heads; answers {ok:true, heads} with the heads its changes really give (the changes no
//        other change depends on, from getAllChanges), or {ok:false, error}.
// A Rust panic inside the WebAssembly module surfaces as a PanicError; the answer then also
// has "panic": true. Since the module's memory may be left inconsistent, the next file goes to a
// fresh instance of the module (tens of milliseconds, where a new Node process takes most of a
// second) and the answer says "renewed": true; if the package's layout gives no way to do that,
// the process exits with status 3 after writing the answer. End of input ends the process with
// status 0.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as A from "@automerge/automerge";
import { sortedHeads, stringify, typedDocument } from "./typed.mjs";

// The Node entry of @automerge/automerge hands its CommonJS WebAssembly glue to UseApi once;
// evaluating that glue again instantiates the module afresh, and UseApi switches A to it.
const entry = import.meta.resolve("@automerge/automerge");
const glue = fileURLToPath(new URL("../wasm_bindgen_output/nodejs/automerge_wasm.cjs", entry));
const lowLevel = new URL("../low_level.js", entry);
const { UseApi } = existsSync(fileURLToPath(lowLevel)) ? await import(lowLevel) : {};
const require = createRequire(import.meta.url);

function renewModule() {
  if (typeof UseApi !== "function" || !existsSync(glue)) {
    return false;
  }
  try {
    delete require.cache[glue];
    UseApi(require(glue));
    return true;
  } catch (error) {
    process.stderr.write(`verdict.mjs: cannot renew the module: ${message(error)}\n`);
    return false;
  }
}

const HEADER_BYTES = 5;

function message(error) {
  return String(error && error.message ? error.message : error).replace(/\s+/g, " ");
}

// A Rust panic reaches JavaScript as a PanicError (or, without the panic hook, a RuntimeError).
function isPanic(error) {
  return error instanceof WebAssembly.RuntimeError || (error && error.name === "PanicError");
}

// An unchecked load keeps the heads a document chunk stores; these are the ones its changes give.
function rebuiltHeads(doc) {
  const hashes = new Set();
  const deps = new Set();
  for (const bytes of A.getAllChanges(doc)) {
    const change = A.decodeChange(bytes);
    hashes.add(change.hash);
    change.deps.forEach((dep) => deps.add(dep));
  }
  return [...hashes].filter((hash) => !deps.has(hash)).sort();
}

function answer(mode, bytes) {
  let doc;
  let line;
  try {
    doc = mode === "U" ? A.load(bytes, { unchecked: true }) : A.load(bytes);
    line = { ok: true, heads: mode === "U" ? rebuiltHeads(doc) : sortedHeads(doc) };
  } catch (error) {
    return { ok: false, error: message(error), panic: isPanic(error) };
  }
  if (mode === "L") {
    try {
      line.value = typedDocument(doc);
    } catch (error) {
      line.valueError = message(error);
      line.panic = isPanic(error);
    }
  }
  return line;
}

let pending = Buffer.alloc(0);

function drain() {
  while (pending.length >= HEADER_BYTES) {
    const mode = String.fromCharCode(pending[0]);
    const length = pending.readUInt32BE(1);
    if (pending.length < HEADER_BYTES + length) {
      return;
    }
    const bytes = new Uint8Array(pending.subarray(HEADER_BYTES, HEADER_BYTES + length));
    pending = pending.subarray(HEADER_BYTES + length);
    if (mode !== "L" && mode !== "U") {
      process.stderr.write(`verdict.mjs: unknown mode ${JSON.stringify(mode)}\n`);
      process.exit(2);
    }
    const line = answer(mode, bytes);
    const panicked = line.panic === true;
    if (!panicked) {
      delete line.panic;
    }
    if (panicked) {
      if (renewModule()) {
        line.renewed = true;
      } else {
        // Let stdout flush before leaving: the caller starts a fresh process for the next frame.
        process.stdout.write(stringify(line) + "\n");
        process.stdout.end(() => process.exit(3));
        process.stdin.pause();
        return;
      }
    }
    process.stdout.write(stringify(line) + "\n");
  }
}

process.stdin.on("data", (chunk) => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  drain();
});
process.stdin.on("end", () => process.exit(0));
