// Replays a sequential editing trace (the JSON format of the editing-traces collection, as
// converge-bench/scripts/fetch-traces.sh downloads it) with JavaScript Automerge, one
// change per txn on a text at the root key "text", and saves the document:
//
//   node trace-to-automerge.mjs TRACE.json[.gz] OUT.automerge
//
// Made by the reference library, so a document with 260,000 changes for the inspector's load-time
// measurement (README, "converge ui") is Automerge's own, not our encoder's. Change times count
// up one second per 1,000 txns from 2024-01-01, so the history has distinct times.
import * as A from '@automerge/automerge';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [tracePath, outPath] = process.argv.slice(2);
if (!tracePath || !outPath) {
  console.error('usage: node trace-to-automerge.mjs TRACE.json[.gz] OUT.automerge');
  process.exit(2);
}
const raw = readFileSync(tracePath);
const trace = JSON.parse((tracePath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
if (trace.kind === 'concurrent') {
  console.error('only sequential traces are supported');
  process.exit(1);
}
const start = Date.UTC(2024, 0, 1) / 1000;
let doc = A.change(A.init(), { time: start }, (d) => { d.text = ''; });
trace.txns.forEach((txn, i) => {
  doc = A.change(doc, { time: start + Math.floor(i / 1000) }, (d) => {
    for (const [pos, del, ins] of txn.patches) {
      // Positions are code points; automerge-paper is ASCII, where they equal string indexes.
      A.splice(d, ['text'], pos, del, ins);
    }
  });
});
if (doc.text !== trace.endContent) {
  console.error('the replayed text differs from the trace\'s endContent');
  process.exit(1);
}
const bytes = A.save(doc);
writeFileSync(outPath, bytes);
console.log(JSON.stringify({ changes: A.getAllChanges(doc).length, bytes: bytes.length, length: doc.text.length }));
