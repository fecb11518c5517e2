// Small documents made by @automerge/automerge, the starting points of the load-rule fixtures:
// each fixture is one of these files with one field, cell or op changed by the Java tests
// (converge-core LoadRuleFixtures), and JavaScript itself says whether it still loads.
//
//   node rule-bases.mjs --out DIR
//
// For each base NAME it writes NAME.doc.automerge (saveNoCompress: one uncompressed document
// chunk) and NAME.changes.automerge (every change chunk, in the order getAllChanges gives).
// Actors and change times are fixed, so the bytes are the same on every run.
import * as A from "@automerge/automerge";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ACTOR_A = "aaaa0000aaaa0000aaaa0000aaaa0000";
const ACTOR_B = "bbbb1111bbbb1111bbbb1111bbbb1111";
let time = 1_700_000_000_000;

function change(doc, edit, message) {
  time += 1000;
  return A.change(doc, message ? { time, message } : { time }, edit);
}

/** A map: puts, an overwrite, a delete, a counter and its increment, nested objects. */
function map() {
  let doc = A.init({ actor: ACTOR_A });
  doc = change(doc, (d) => {
    d.a = 1;
    d.b = "x";
  }, "first");
  doc = change(doc, (d) => {
    d.a = 2;
    delete d.b;
  });
  doc = change(doc, (d) => {
    d.c = new A.Counter(5);
    d.nested = { inner: { deep: true }, list: [1] };
  });
  doc = change(doc, (d) => {
    d.c.increment(3);
  });
  return doc;
}

/** A list: inserts at the head and after elements, a delete and an overwrite. */
function list() {
  let doc = A.init({ actor: ACTOR_A });
  doc = change(doc, (d) => {
    d.list = ["a", "b", "c"];
  });
  doc = change(doc, (d) => {
    d.list.deleteAt(1);
    d.list[0] = "A";
    d.list.insertAt(0, 0);
  });
  return doc;
}

/** Text with a mark that expands on both sides and one that does not, and an unmark. */
function text() {
  let doc = A.init({ actor: ACTOR_A });
  doc = change(doc, (d) => {
    d.text = "hello world";
  });
  doc = change(doc, (d) => {
    A.mark(d, ["text"], { start: 0, end: 5, expand: "both" }, "bold", true);
    A.mark(d, ["text"], { start: 6, end: 11, expand: "none" }, "link", "https://example.org");
  });
  doc = change(doc, (d) => {
    A.unmark(d, ["text"], { start: 1, end: 2, expand: "none" }, "bold");
    A.splice(d, ["text"], 5, 1, "_");
  });
  return doc;
}

/** Two actors editing concurrently: a conflict on a key, merged, then a change on top. */
function concurrent() {
  let a = A.init({ actor: ACTOR_A });
  a = change(a, (d) => {
    d.k = "start";
    d.items = [1];
  });
  let b = A.clone(a, { actor: ACTOR_B });
  a = change(a, (d) => {
    d.k = "from a";
    d.items.push(2);
  });
  b = change(b, (d) => {
    d.k = "from b";
    d.items.insertAt(0, 0);
  });
  a = A.merge(a, b);
  a = change(a, (d) => {
    d.after = "merge";
  });
  return a;
}

/** Two concurrent changes merged and nothing on top: a document with two heads. */
function forked() {
  let a = A.init({ actor: ACTOR_A });
  a = change(a, (d) => {
    d.x = 1;
  });
  let b = A.clone(a, { actor: ACTOR_B });
  a = change(a, (d) => {
    d.x = 2;
  });
  b = change(b, (d) => {
    d.y = 3;
  });
  return A.merge(a, b);
}

const out = process.argv[2] === "--out" ? process.argv[3] : null;
if (!out) {
  process.stderr.write("usage: node rule-bases.mjs --out DIR\n");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const [name, make] of Object.entries({ map, list, text, concurrent, forked })) {
  const doc = make();
  writeFileSync(join(out, `${name}.doc.automerge`), A.getBackend(doc).saveNoCompress());
  const changes = A.getAllChanges(doc);
  writeFileSync(join(out, `${name}.changes.automerge`), Buffer.concat(changes));
}
