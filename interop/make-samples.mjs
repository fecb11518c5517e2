// Writes the sample data in ../samples, which the README's commands use from a fresh clone:
//
//   node make-samples.mjs            (in interop/, after its npm packages are installed)
//
//   typing.json        a sequential editing trace in the editing-traces format: about 2,000
//                      keystrokes typing a text of our own, with typos deleted and retyped
//                      (ASCII: bench-trace replays ASCII traces only so far)
//   two-writers.json   a concurrent trace: two agents typing into two paragraphs of one text,
//                      merging each other's work now and then
//   todo.automerge     a small document saved by JavaScript Automerge (a todo list)
//
// Every random choice comes from one seeded PRNG (mulberry32) and every change has a fixed time,
// so a rerun writes the same bytes.
import * as A from "@automerge/automerge";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "samples");

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "local-first", "software", "keeps", "the", "primary", "copy", "of", "your", "data", "on",
  "device", "and", "syncs", "it", "whenever", "a", "network", "happens", "to", "exist",
  "changes", "merge", "without", "conflicts", "being", "lost", "hello", "world", "log", "is",
  "database",
];

// [...s] splits by code point, the unit trace positions count in.
const codePoints = (s) => [...s];

function words(random, count) {
  const chosen = [];
  for (let i = 0; i < count; i++) chosen.push(WORDS[Math.floor(random() * WORDS.length)]);
  return chosen.join(" ") + ".\n";
}

/** Keystrokes typing `text` at the end of a region, with typos corrected by backspace. */
function keystrokes(random, text, start) {
  const keys = [];
  let at = start;
  for (const ch of codePoints(text)) {
    if (random() < 0.04) {
      keys.push([at, 0, "x"]);
      keys.push([at, 1, ""]);
    }
    keys.push([at, 0, ch]);
    at++;
  }
  return keys;
}

function sequential() {
  const random = mulberry32(15);
  const text = words(random, 200) + words(random, 150);
  const patches = keystrokes(random, text, 0);
  let current = [];
  for (const [pos, del, ins] of patches) current.splice(pos, del, ...codePoints(ins));
  return {
    startContent: "",
    endContent: current.join(""),
    txns: patches.map((patch) => ({ time: "2026-12-07T00:00:00.000Z", patches: [patch] })),
  };
}

function concurrent() {
  const random = mulberry32(16);
  // Agent 0 types paragraph A before the separator, agent 1 paragraph B after it, so no two
  // agents ever insert at one position concurrently. A position is relative to what its agent
  // saw: agent 1's offsets in B are shifted by the length of A in its parent version.
  const keys = [keystrokes(random, words(random, 60), 0), keystrokes(random, words(random, 60), 0)];
  const txns = [{ agent: 0, parents: [], patches: [[0, 0, "\n"]] }];
  const clock = [[1, 0]];
  const aLength = [0]; // length of A after agent 0's k-th txn (k = 1 is the separator)
  const last = [0, -1];
  const next = [0, 0];
  while (next[0] < keys[0].length || next[1] < keys[1].length) {
    const agent = next[1] >= keys[1].length || (next[0] < keys[0].length && random() < 0.5) ? 0 : 1;
    const other = 1 - agent;
    const parents = last[agent] >= 0 ? [last[agent]] : [0];
    if (last[other] >= 0 && random() < 0.1 && !parents.includes(last[other])) {
      parents.push(last[other]);
    }
    const seen = [0, 1].map((a) => Math.max(...parents.map((p) => clock[p][a])));
    const [pos, del, ins] = keys[agent][next[agent]++];
    const shift = agent === 0 ? 0 : aLength[seen[0] - 1] + 1;
    txns.push({ agent, parents, patches: [[pos + shift, del, ins]] });
    seen[agent]++;
    clock.push(seen);
    if (agent === 0) aLength.push(aLength[aLength.length - 1] + (del > 0 ? -del : codePoints(ins).length));
    last[agent] = txns.length - 1;
  }
  // A last txn by agent 0 that has seen everything, as the format requires.
  const finalParents = [last[0], last[1]];
  const a = aLength[aLength.length - 1];
  txns.push({ agent: 0, parents: finalParents, patches: [[a, 0, "!"]] });
  const children = new Array(txns.length).fill(0);
  for (const txn of txns) for (const p of txn.parents) children[p]++;
  let paragraphA = [];
  let paragraphB = [];
  for (const [pos, del, ins] of keys[0]) paragraphA.splice(pos, del, ...codePoints(ins));
  for (const [pos, del, ins] of keys[1]) paragraphB.splice(pos, del, ...codePoints(ins));
  return {
    kind: "concurrent",
    endContent: paragraphA.join("") + "!" + "\n" + paragraphB.join(""),
    numAgents: 2,
    txns: txns.map((txn, i) => ({
      agent: txn.agent,
      parents: txn.parents,
      numChildren: children[i],
      time: "1970-01-01T00:00:00.000Z",
      patches: txn.patches,
    })),
  };
}

function todo() {
  const actor = "0123456789abcdef0123456789abcdef";
  let doc = A.init({ actor });
  doc = A.change(doc, { message: "list", time: 1796601540 }, (d) => {
    d.type = "todo-list";
    d.title = "Groceries";
  });
  doc = A.change(doc, { message: "items", time: 1796601600 }, (d) => {
    d.items = [
      { title: "milk", done: false },
      { title: "bread", done: true },
    ];
  });
  doc = A.change(doc, { message: "tick milk", time: 1796601660 }, (d) => {
    d.items[0].done = true;
  });
  return A.save(doc);
}

writeFileSync(join(out, "typing.json"), JSON.stringify(sequential()) + "\n");
writeFileSync(join(out, "two-writers.json"), JSON.stringify(concurrent()) + "\n");
writeFileSync(join(out, "todo.automerge"), todo());
