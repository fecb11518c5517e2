// Generates deterministic random Automerge documents with @automerge/automerge.
//
//   node gen.mjs --seed S --count N --out DIR
//
// For each document NNN (000 .. N-1) it writes:
//   NNN.automerge            A.save(doc): one document chunk, big columns DEFLATE-compressed
//   NNN.nodeflate.automerge  the backend's saveNoCompress(): the same chunk, nothing compressed
//   NNN.chunks.automerge     an earlier save of one replica followed by the change chunks since
//                            (A.saveSince), as automerge-repo storage concatenates them
//   NNN.json                 {seed, index, actors, heads, numChanges, value}, value in the typed
//                            shape of typed.mjs
//
// Every random choice comes from one seeded PRNG per document (mulberry32), and every change
// carries an explicit time, so the same seed and count always give the same bytes.
import * as A from "@automerge/automerge";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sortedHeads, stringify, typedDocument } from "./typed.mjs";

function parseArgs(argv) {
  const args = { seed: 1, count: 10, out: null };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === "--seed") args.seed = Number(value);
    else if (name === "--count") args.count = Number(value);
    else if (name === "--out") args.out = value;
    else throw new Error(`unknown argument ${name}`);
    i++;
  }
  if (!Number.isSafeInteger(args.seed) || !Number.isSafeInteger(args.count) || !args.out) {
    throw new Error("usage: node gen.mjs --seed S --count N --out DIR");
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
  const random = {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    hex: (bytes) => {
      let out = "";
      for (let i = 0; i < bytes; i++) out += Math.floor(next() * 256).toString(16).padStart(2, "0");
      return out;
    },
  };
  return random;
}

// Map keys and strings with non-ASCII: accents, CJK, an astral emoji, a ZWJ sequence.
// A.isCounter and A.isImmutableString both answer true for a list proxy, so test the classes,
// after ruling out arrays.
const isCounter = (value) => !Array.isArray(value) && value instanceof A.Counter;
const isImmutableString = (value) => !Array.isArray(value) && value instanceof A.ImmutableString;

const KEYS = ["a", "b", "c", "é", "日本", "🐙", "key with space", "ζeta", "k\u0000nul", ""];
const STRINGS = ["", "x", "plain", "é", "日本語", "🙂", "👩‍👩‍👧", "a\nb", "Ünïcödé 1"];
const TEXT_INSERTS = ["a", "xyz", " ", "é", "日本", "🙂", "👩‍👩‍👧", "ok\n", "Ω"];
const MARK_NAMES = ["bold", "italic", "link", "comment"];
const EXPANDS = ["before", "after", "both", "none"];

function scalar(random) {
  switch (random.int(10)) {
    case 0:
      return new A.ImmutableString(random.pick(STRINGS));
    case 1:
      return random.pick([0, 1, -1, 42, -98411, 2 ** 31, -(2 ** 40), 2 ** 53 - 1, 2 ** 60, -(2 ** 62)]);
    case 2:
      return new A.Int(random.range(-1000000, 1000000));
    case 3:
      return new A.Uint(random.pick([0, 1, 255, 2 ** 32, 2 ** 53 - 1, random.int(100000)]));
    case 4:
      return random.chance(0.5)
        ? new A.Float64(random.pick([0, -0, 3, 1.5, 1e300, -2.5e-308, 5e-324, 2 ** 70]))
        : Math.round(random.next() * 1e6) / 1e3 + 0.5;
    case 5:
      return random.chance(0.5);
    case 6:
      return null;
    case 7: {
      const bytes = new Uint8Array(random.int(6));
      for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
      return bytes;
    }
    case 8:
      return new Date(random.pick([0, -1000, 1700000000123, random.int(2 ** 41)]));
    default:
      return new A.Counter(random.range(-50, 50));
  }
}

/** A new nested value for a map slot or list item: a map, a list of scalars, or text. */
function nested(random) {
  switch (random.int(3)) {
    case 0:
      return { [random.pick(KEYS)]: scalar(random) };
    case 1:
      return [scalar(random), scalar(random)];
    default:
      return random.pick(TEXT_INSERTS) + random.pick(TEXT_INSERTS);
  }
}

/** Every object reachable from the root: {path, kind, value}, kind map, list or text. */
function containers(doc) {
  const found = [];
  const walk = (value, path, depth) => {
    if (typeof value === "string") {
      // A.splice and A.mark resolve a path with an empty key to the wrong object, so text under
      // the key "" is only written whole, through the proxy.
      if (!path.includes("")) found.push({ path, kind: "text", value });
    } else if (Array.isArray(value)) {
      found.push({ path, kind: "list", value });
      if (depth < 4) value.forEach((item, index) => walk(item, [...path, index], depth + 1));
    } else if (isMap(value)) {
      found.push({ path, kind: "map", value });
      if (depth < 4) for (const key of Object.keys(value)) walk(value[key], [...path, key], depth + 1);
    }
  };
  walk(doc, [], 0);
  return found;
}

function isMap(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array) &&
    !isCounter(value) &&
    !isImmutableString(value)
  );
}

/** UTF-16 indexes of s that are not inside a surrogate pair. */
function boundaries(s) {
  const points = [0];
  let index = 0;
  for (const codePoint of s) {
    index += codePoint.length;
    points.push(index);
  }
  return points;
}

function editMap(random, d, target) {
  const map = target.value;
  const keys = Object.keys(map);
  const counters = keys.filter((key) => isCounter(map[key]));
  const roll = random.int(20);
  if (roll < 2 && counters.length > 0) {
    map[random.pick(counters)].increment(random.range(-9, 9));
  } else if (roll < 5 && keys.length > 0) {
    delete map[random.pick(keys)];
  } else if (roll < 8) {
    map[random.pick(KEYS)] = nested(random);
  } else {
    map[random.pick(KEYS)] = scalar(random);
  }
}

function editList(random, d, target) {
  const list = target.value;
  const roll = random.int(20);
  const counters = list.map((item, index) => (isCounter(item) ? index : -1)).filter((i) => i >= 0);
  if (roll < 2 && counters.length > 0) {
    list[random.pick(counters)].increment(random.range(-9, 9));
  } else if (roll < 6 && list.length > 0) {
    list.splice(random.int(list.length), 1 + random.int(Math.min(2, list.length) ));
  } else if (roll < 9 && list.length > 0) {
    list[random.int(list.length)] = scalar(random);
  } else if (roll < 11) {
    list.splice(random.int(list.length + 1), 0, nested(random));
  } else {
    const values = [scalar(random)];
    if (random.chance(0.3)) values.push(scalar(random));
    list.splice(random.int(list.length + 1), 0, ...values);
  }
}

function editText(random, d, target) {
  const text = target.value;
  const points = boundaries(text);
  const roll = random.int(20);
  if (roll < 3 && text.length > 0) {
    // A mark over [start, end) with a random expand mode, or an unmark.
    const startIndex = random.int(points.length - 1);
    const endIndex = random.range(startIndex + 1, points.length - 1);
    const range = { start: points[startIndex], end: points[endIndex], expand: random.pick(EXPANDS) };
    const name = random.pick(MARK_NAMES);
    if (random.chance(0.3)) {
      A.unmark(d, target.path, range, name);
    } else {
      A.mark(d, target.path, range, name, random.pick([true, 7, -3, "https://é.example/日本", 1.5]));
    }
  } else {
    const startIndex = random.int(points.length);
    const deleteTo = random.chance(0.4) ? Math.min(points.length - 1, startIndex + random.int(4)) : startIndex;
    const insert = random.chance(0.85) ? random.pick(TEXT_INSERTS) : "";
    A.splice(d, target.path, points[startIndex], points[deleteTo] - points[startIndex], insert);
  }
}

function edit(random, d) {
  const all = containers(d);
  // Prefer text and lists a little: that is where sequence merging happens.
  const weighted = all.flatMap((c) => (c.kind === "map" ? [c] : [c, c]));
  const target = random.pick(weighted);
  if (target.kind === "map") editMap(random, d, target);
  else if (target.kind === "list") editList(random, d, target);
  else editText(random, d, target);
}

/**
 * A.merge, with a way around a bug of @automerge/automerge 3.5.0: on some histories (seed 404,
 * document 8) merging into a replica that was edited in memory throws "cannot increment a
 * non-numeric value", while the same replica saved and loaded again merges cleanly. So on that
 * error the replica is reloaded from its save, with its actor, and the merge retried.
 */
function merge(local, remote) {
  const saved = A.save(local);
  try {
    return A.merge(local, remote);
  } catch (error) {
    if (!String(error).includes("cannot increment a non-numeric value")) throw error;
    return A.merge(A.load(saved, { actor: A.getActorId(local) }), remote);
  }
}

function generate(seed, index) {
  // One independent stream per document, so documents do not depend on --count.
  const random = prng(Math.imul(seed ^ 0x9e3779b9, 2654435761) + index * 7919);
  const actorCount = random.range(2, 4);
  const actors = [];
  for (let i = 0; i < actorCount; i++) actors.push(random.hex(16));
  let time = 1700000000000 + seed * 100000 + index * 1000;
  const nextTime = () => (time += 1 + random.int(5000));

  let first = A.init({ actor: actors[0] });
  first = A.change(first, { time: nextTime(), message: "init" }, (d) => {
    d.title = `Doc ${seed}/${index} é`;
    d.list = [new A.ImmutableString("one"), 2, new A.Uint(3)];
    d.text = "hello wörld 🙂";
    d.counter = new A.Counter(random.range(-5, 5));
    d.map = { a: 1, b: new A.ImmutableString("two"), nested: [true, null] };
  });
  const replicas = actors.map((actor, i) => (i === 0 ? first : A.clone(first, { actor })));

  // One document in five is big: more edits and a long paste, so that some columns reach the
  // 256 bytes at which A.save compresses them.
  const big = random.chance(0.2);
  const rounds = random.range(2, 5);
  let snapshot = null;
  for (let round = 0; round < rounds; round++) {
    for (let r = 0; r < replicas.length; r++) {
      const changes = random.int(big ? 6 : 3);
      for (let c = 0; c < changes; c++) {
        const edits = random.range(1, big ? 12 : 4);
        const options = { time: nextTime() };
        if (random.chance(0.3)) options.message = random.pick(["edit", "é 日本 🙂", ""]);
        replicas[r] = A.change(replicas[r], options, (d) => {
          for (let e = 0; e < edits; e++) edit(random, d);
        });
      }
    }
    // Concurrent writes to the same slots, so that merges leave conflicts.
    if (random.chance(0.6)) {
      const key = random.pick(["hot", "é", "🐙"]);
      for (let r = 0; r < replicas.length; r++) {
        if (random.chance(0.7)) {
          replicas[r] = A.change(replicas[r], { time: nextTime() }, (d) => {
            d[key] = random.chance(0.7) ? scalar(random) : nested(random);
            if (Array.isArray(d.list) && d.list.length > 0 && random.chance(0.5)) {
              d.list[0] = scalar(random);
            }
          });
        }
      }
    }
    if (big && round === 0) {
      replicas[0] = A.change(replicas[0], { time: nextTime(), message: "paste" }, (d) => {
        if (typeof d.text === "string") {
          let paste = "";
          while (paste.length < 400) paste += random.pick(TEXT_INSERTS);
          A.splice(d, ["text"], 0, 0, paste);
        }
      });
    }
    const merges = random.range(1, 2);
    for (let m = 0; m < merges; m++) {
      const a = random.int(replicas.length);
      const b = (a + 1 + random.int(replicas.length - 1)) % replicas.length;
      replicas[a] = merge(replicas[a], replicas[b]);
    }
    if (round === Math.floor(rounds / 2)) snapshot = A.save(replicas[0]);
  }
  let doc = replicas[0];
  for (let r = 1; r < replicas.length; r++) doc = merge(doc, replicas[r]);
  if (random.chance(0.5)) {
    doc = A.change(doc, { time: nextTime(), message: "after merge" }, (d) => edit(random, d));
  }
  const snapshotHeads = A.getHeads(A.load(snapshot));
  const chunks = Buffer.concat([snapshot, A.saveSince(doc, snapshotHeads)]);
  return { doc, actors, chunks };
}

function main() {
  const { seed, count, out } = parseArgs(process.argv.slice(2));
  mkdirSync(out, { recursive: true });
  for (let index = 0; index < count; index++) {
    const { doc, actors, chunks } = generate(seed, index);
    const name = String(index).padStart(3, "0");
    const saved = A.save(doc);
    writeFileSync(join(out, `${name}.automerge`), saved);
    writeFileSync(join(out, `${name}.nodeflate.automerge`), A.getBackend(doc).saveNoCompress());
    writeFileSync(join(out, `${name}.chunks.automerge`), chunks);
    // The expected values are what JavaScript reads back from the saved file.
    const loaded = A.load(saved);
    const json = {
      automergeVersion: "3.5.0",
      seed,
      index,
      actors,
      heads: sortedHeads(loaded),
      numChanges: A.getAllChanges(loaded).length,
      value: typedDocument(loaded),
    };
    writeFileSync(join(out, `${name}.json`), stringify(json) + "\n");
  }
}

main();
