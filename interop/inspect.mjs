// Loads Automerge files with @automerge/automerge and prints one JSON line per file.
//
//   node inspect.mjs [--resave] FILE...
//
// Each line is {file, ok:true, heads, numChanges, value} with value in the typed shape of
// typed.mjs, or {file, ok:false, error} when A.load refuses the
// file. With --resave, a loaded file's line also has "nodeflate": the base64 of the backend's
// saveNoCompress(), so a caller can compare JavaScript's re-save with its own bytes.
import * as A from "@automerge/automerge";
import { readFileSync } from "node:fs";
import { sortedHeads, stringify, typedDocument } from "./typed.mjs";

let resave = false;
const files = [];
for (const arg of process.argv.slice(2)) {
  if (arg === "--resave") resave = true;
  else files.push(arg);
}
if (files.length === 0) {
  process.stderr.write("usage: node inspect.mjs [--resave] FILE...\n");
  process.exit(2);
}

for (const file of files) {
  let line;
  try {
    const doc = A.load(readFileSync(file));
    line = {
      file,
      ok: true,
      heads: sortedHeads(doc),
      numChanges: A.getAllChanges(doc).length,
      value: typedDocument(doc),
    };
    if (resave) {
      line.nodeflate = Buffer.from(A.getBackend(doc).saveNoCompress()).toString("base64");
    }
  } catch (error) {
    line = { file, ok: false, error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(stringify(line) + "\n");
}
