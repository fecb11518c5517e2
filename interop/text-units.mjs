// Concurrent text edits counted in different units: JavaScript Automerge counts UTF-16 code units,
// Converge (TextUnitsInteropIT) counts code points on the same document, and both must end with the
// same bytes.
//
//   node text-units.mjs base --seeds 1,2,3 --dir DIR
//       For each seed S, a document whose root key "text" holds random text (accents, CJK, emoji,
//       combining marks, ZWJ sequences) and a mark, saved to DIR/S.base.
//   node text-units.mjs edit --seeds 1,2,3 --dir DIR
//       For each seed S: loads DIR/S.base, makes random splices and marks at UTF-16 positions and
//       writes those changes to DIR/S.js; then applies DIR/S.java (the other side's changes, made
//       concurrently on the same base) and writes the merged document, uncompressed, to
//       DIR/S.merged. A saved document lists its changes in the order they were applied, so it
//       also writes DIR/S.merged-java-first: the base, then S.java, then S.js, as the other side
//       applies them. Prints one JSON line per seed: {seed, text, heads, marks}.
//
// Every random choice comes from one seeded PRNG per seed and step (mulberry32), actors are fixed
// and every change carries an explicit time, so the same seeds always give the same bytes.
import * as A from "@automerge/automerge";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const PIECES = ["a", "Z", " ", "é", "ß", "€", "中", "日本", "한", "😀", "𝄞", "👍🏽", "👨‍👩‍👧", "e\u0301", "\u0301"];
const BASE_ACTOR = "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";
const JS_ACTOR = "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c";

function parseArgs(argv) {
  const args = { mode: argv[0], seeds: [], dir: null };
  for (let i = 1; i < argv.length; i += 2) {
    if (argv[i] === "--seeds") args.seeds = argv[i + 1].split(",").map(Number);
    else if (argv[i] === "--dir") args.dir = argv[i + 1];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!["base", "edit"].includes(args.mode) || args.seeds.length === 0 || !args.dir) {
    throw new Error("usage: node text-units.mjs base|edit --seeds S,... --dir DIR");
  }
  return args;
}

/** mulberry32: a small 32-bit PRNG, good enough for test data and fully deterministic. */
function prng(seed) {
  let state = seed | 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n) => Math.floor(next() * n), chance: (p) => next() < p };
}

function randomText(random, piecesMax) {
  let text = "";
  for (let i = random.int(piecesMax + 1); i > 0; i--) text += PIECES[random.int(PIECES.length)];
  return text;
}

/** Whether UTF-16 index `index` of `text` is not between the halves of a surrogate pair. */
function isBoundary(text, index) {
  if (index <= 0 || index >= text.length) return true;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return !(before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff);
}

/** A random UTF-16 index of `text` that is a character boundary. */
function boundary(random, text) {
  for (;;) {
    const index = random.int(text.length + 1);
    if (isBoundary(text, index)) return index;
  }
}

function base(seed, dir) {
  const random = prng(seed * 7919 + 1);
  let doc = A.init({ actor: BASE_ACTOR });
  doc = A.change(doc, { time: 1700000000000 }, (d) => {
    d.text = randomText(random, 30) + "end";
  });
  doc = A.change(doc, { time: 1700000001000 }, (d) => {
    const start = boundary(random, d.text);
    let end = start + 1 + random.int(d.text.length - start);
    while (!isBoundary(d.text, end)) end--;
    if (end > start) A.mark(d, ["text"], { start, end, expand: "after" }, "bold", true);
  });
  writeFileSync(join(dir, `${seed}.base`), A.save(doc));
}

function edit(seed, dir) {
  const random = prng(seed * 104729 + 2);
  let doc = A.load(readFileSync(join(dir, `${seed}.base`)), { actor: JS_ACTOR });
  const baseHeads = A.getHeads(doc);
  for (let change = 0; change < 4; change++) {
    doc = A.change(doc, { time: 1700000100000 + change * 1000 }, (d) => {
      for (let e = 1 + random.int(3); e > 0; e--) {
        const start = boundary(random, d.text);
        let end = start + random.int(Math.min(6, d.text.length - start) + 1);
        while (!isBoundary(d.text, end)) end--;
        if (random.chance(0.2) && end > start) {
          A.mark(d, ["text"], { start, end, expand: "none" }, "js", `change ${change}`);
        } else {
          A.splice(d, ["text"], start, end - start, randomText(random, 3));
        }
      }
    });
  }
  const mine = A.saveSince(doc, baseHeads);
  writeFileSync(join(dir, `${seed}.js`), mine);
  const java = readFileSync(join(dir, `${seed}.java`));
  doc = A.loadIncremental(doc, java);
  writeFileSync(join(dir, `${seed}.merged`), A.getBackend(doc).saveNoCompress());
  const base = A.load(readFileSync(join(dir, `${seed}.base`)));
  const javaFirst = A.loadIncremental(A.loadIncremental(base, java), mine);
  writeFileSync(join(dir, `${seed}.merged-java-first`), A.getBackend(javaFirst).saveNoCompress());
  const heads = [...A.getHeads(doc)].sort();
  const marks = A.marks(doc, ["text"]);
  process.stdout.write(JSON.stringify({ seed, text: doc.text, heads, marks }) + "\n");
}

const { mode, seeds, dir } = parseArgs(process.argv.slice(2));
for (const seed of seeds) {
  if (mode === "base") base(seed, dir);
  else edit(seed, dir);
}
