// Makes the small non-ASCII editing traces that `mvn verify` replays (converge-trace's
// src/test/resources/traces/), in the format of the editing-traces project: positions and lengths
// count Unicode code points.
//
//   node converge-bench/scripts/make-test-traces.mjs OUT_DIR
//   node converge-bench/scripts/make-test-traces.mjs --check TRACE.json[.gz]...
//
// The end text of every trace is computed here, on plain JavaScript strings split into code
// points, never by a CRDT. `--check` replays sequential traces the same way and compares.
//
// unicode-sequential: one user typing, pasting, deleting and replacing text of accents (composed
// and combining), CJK, Hangul, right-to-left scripts, emoji (with skin tones, ZWJ families, flags)
// and astral symbols. Deletes may cut a grapheme cluster apart: a code point is the unit.
//
// unicode-concurrent: three users. Each round starts from a version all of them have seen; every
// user edits only inside a region of their own, and the regions are kept apart by a character no
// one touches in that round. So no two users ever insert concurrently at the same position, the
// guarantee the format makes, and the merged text is the regions' texts joined by those fences.
// A merge txn (several parents) by one user closes the round with one more edit.
//
// Every choice comes from one seeded PRNG (mulberry32), so the same seed gives the same files.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, gunzipSync } from "node:zlib";

const WORDS = [
  "the ", "of ", "and ", "café ", "naïve ", "Ångström ", "über ", "façade ", "e\u0301te\u0301 ",
  "中文 ", "日本語 ", "한국어 ", "Ελληνικά ", "русский ", "עברית ", "العربية ", "हिन्दी ",
  "😀 ", "🎉", "👍🏽 ", "👨‍👩‍👧‍👦", "🇫🇷🇯🇵 ", "𝔸𝔹 ", "𝄞 ", "€5 — “quoted” ", "\n", "\t",
];
const LETTERS = [..."abcdefghijklmnopqrstuvwxyz ,.é中한😀🎉𝄞\u0301"];

function prng(seed) {
  let state = seed | 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** Some text to insert: mostly one typed character, sometimes a pasted run of words. */
function typed(random) {
  if (random.chance(0.85)) return random.pick(LETTERS);
  let text = "";
  for (let i = 1 + random.int(5); i > 0; i--) text += random.pick(WORDS);
  return text;
}

/** Replaces `del` code points at `pos` of `points` (an array of code points) with `ins`. */
function splice(points, pos, del, ins) {
  points.splice(pos, del, ...ins);
}

/** One patch inside `[lo, hi]` of `points` (code point indexes), applied to `points`. */
function randomPatch(random, points, lo, hi) {
  const roll = random.int(10);
  const length = hi - lo;
  if (roll < 6 || length === 0) {
    const pos = lo + random.int(length + 1);
    const ins = typed(random);
    splice(points, pos, 0, [...ins]);
    return [pos, 0, ins];
  }
  const pos = lo + random.int(length);
  const del = 1 + random.int(Math.min(roll === 9 ? 12 : 2, hi - pos) );
  const ins = roll === 8 ? typed(random) : "";
  splice(points, pos, del, [...ins]);
  return [pos, del, ins];
}

const TIME = "2026-12-07T00:00:00.000Z";

function sequential(seed, txnCount) {
  const random = prng(seed);
  const points = [];
  const txns = [];
  for (let t = 0; t < txnCount; t++) {
    const patches = [];
    for (let p = random.chance(0.1) ? 2 : 1; p > 0; p--) {
      patches.push(randomPatch(random, points, 0, points.length));
    }
    txns.push({ time: TIME, patches });
  }
  return { startContent: "", endContent: points.join(""), txns };
}

function concurrent(seed, agents, rounds) {
  const random = prng(seed);
  let merged = [..."Start: café 中文 😀 👨‍👩‍👧‍👦 and some more text to edit.\n"];
  const txns = [{ parents: [], agent: 0, time: TIME, patches: [[0, 0, merged.join("")]] }];
  let base = 0;
  for (let round = 0; round < rounds; round++) {
    // Region k is [cuts[k] + 1, cuts[k + 1]) of the merged text, cuts[0] = -1: the code point at
    // each inner cut is a fence no one edits this round.
    const cuts = [-1];
    for (let k = 1; k < agents; k++) {
      const lo = cuts[k - 1] + 1;
      const room = merged.length - (agents - k) - lo + 1;
      if (room <= 0) throw new Error(`round ${round}: text too short for ${agents} regions`);
      cuts.push(lo + random.int(room));
    }
    cuts.push(merged.length);
    const fences = cuts.slice(1, agents).map((cut) => merged[cut]);
    const regions = [];
    const queues = [];
    for (let k = 0; k < agents; k++) {
      regions.push(merged.slice(cuts[k] + 1, cuts[k + 1]));
      queues.push(random.int(5));
    }
    const last = new Array(agents).fill(-1);
    for (;;) {
      const ready = [];
      for (let k = 0; k < agents; k++) if (queues[k] > 0) ready.push(k);
      if (ready.length === 0) break;
      const k = random.pick(ready);
      queues[k]--;
      // The agent sees the round's base with only its own region edited: the regions before its
      // own are as in the base, so its region starts at the same offset.
      const offset = cuts[k] + 1;
      const view = regions[k];
      const patch = randomPatch(random, view, 0, view.length);
      txns.push({
        parents: [last[k] >= 0 ? last[k] : base],
        agent: k,
        time: TIME,
        patches: [[patch[0] + offset, patch[1], patch[2]]],
      });
      last[k] = txns.length - 1;
    }
    merged = [];
    for (let k = 0; k < agents; k++) {
      merged.push(...regions[k]);
      if (k + 1 < agents) merged.push(fences[k]);
    }
    // The round's last txns are mutually concurrent; with none, the merge follows the base.
    const edited = last.filter((index) => index >= 0);
    const mergeAgent = random.int(agents);
    const parents = edited.length === 0 ? [base] : edited;
    const patch = randomPatch(random, merged, 0, merged.length);
    txns.push({ parents, agent: mergeAgent, time: TIME, patches: [patch] });
    base = txns.length - 1;
  }
  countChildren(txns);
  return { kind: "concurrent", endContent: merged.join(""), numAgents: agents, txns };
}

function countChildren(txns) {
  for (const txn of txns) txn.numChildren = 0;
  for (const txn of txns) for (const parent of txn.parents) txns[parent].numChildren++;
}

function write(dir, name, trace) {
  writeFileSync(join(dir, `${name}.json.gz`), gzipSync(JSON.stringify(trace), { level: 9 }));
}

function check(file) {
  const raw = readFileSync(file);
  const trace = JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8"));
  if (trace.kind === "concurrent") {
    console.log(`${file}: concurrent, not replayable on plain strings; skipped`);
    return true;
  }
  let points = [...trace.startContent];
  for (const { patches } of trace.txns) {
    for (const [pos, del, ins] of patches) splice(points, pos, del, [...ins]);
  }
  const ok = points.join("") === trace.endContent;
  console.log(`${file}: ${ok ? "ok" : "END TEXT DIFFERS"}`);
  return ok;
}

const args = process.argv.slice(2);
if (args[0] === "--check") {
  const results = args.slice(1).map(check);
  process.exit(results.every(Boolean) ? 0 : 1);
} else if (args.length === 1) {
  mkdirSync(args[0], { recursive: true });
  write(args[0], "unicode-sequential", sequential(14, 4000));
  write(args[0], "unicode-concurrent", concurrent(41, 3, 80));
} else {
  process.stderr.write("usage: make-test-traces.mjs OUT_DIR | --check TRACE...\n");
  process.exit(2);
}
