// Converge beside the JNI Automerge binding (org.automerge:automerge 0.0.7, Rust Automerge behind
// JNI) on editing traces, and beside Yjs on the concurrent ones, in one run, measured as users
// run each. Not part of the build: a benchmark command (README, "Benchmarks").
//
//   mvn -q -pl converge-cli,converge-bench -am package -DskipTests
//   (cd converge-bench/node && npm ci)
//   node --expose-gc converge-bench/node/versus.mjs [--warmup 2] [--runs 5] [--no-memory] TRACE...
//
// For each trace, one after the other:
//   converge     ./converge bench-trace TRACE --warmup W --runs R: the launcher with its own JVM
//                settings, as a user runs it; medians of apply_ms, save_ms, load_ms, and the
//                largest peak_heap_mb.
//   automerge    java -Xms2g -Xmx2g -jar converge-bench/target/converge-bench.jar
//                --engines automerge-jni --no-footprint: the same replay, save and load through
//                the binding, medians (the binding's memory is native: the heap settings are for
//                the harness).
//   memory       FootprintProbe in a fresh JVM with the launcher's settings: the Java heap the
//                final Converge document keeps, and the replay's heap peak above its baseline.
//   history      concurrent traces only: ./converge bench-trace TRACE --apply-changes (the whole
//                history applied to an empty document in one applyChanges, and in one
//                loadIncremental), and Yjs applying the same history as one update, in this
//                process (yjs-history.mjs; run node with --expose-gc so both sides start each
//                timed call on a collected heap).
// It prints a table per trace, the machine's load average before and after it (timings taken
// with a load above the number of cores are not comparable with others), then one JSON line per
// trace with every figure and the ratios Converge / Automerge and Converge / Yjs.
//
// Exit status: 0 when every replay ended with its trace's end text, 1 otherwise.
import { spawnSync } from "node:child_process";
import { loadavg, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { applyUpdateTimes, history, loadTrace } from "./yjs-history.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const benchJar = join(root, "converge-bench/target/converge-bench.jar");

function parseArgs(argv) {
  const args = { warmup: 2, runs: 5, memory: true, traces: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--warmup") args.warmup = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else if (argv[i] === "--no-memory") args.memory = false;
    else if (argv[i].startsWith("--")) throw new Error(`unknown option ${argv[i]}`);
    else args.traces.push(resolve(argv[i]));
  }
  if (args.traces.length === 0 || !(args.runs >= 1) || !(args.warmup >= 0)) {
    throw new Error("usage: versus.mjs [--warmup N] [--runs N] [--no-memory] TRACE...");
  }
  return args;
}

/** Runs a command, returning its stdout lines that are JSON objects; throws if it fails. */
function jsonLines(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status}:\n${result.stderr}`);
  }
  return result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

function median(values) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor(sorted.length / 2)];
}

const round = (value, digits = 1) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : round(a / b, 3));
const load = () => loadavg().map((value) => value.toFixed(1)).join(" ");

function converge(trace, warmup, runs) {
  const lines = jsonLines(join(root, "converge"), [
    "bench-trace",
    trace,
    "--warmup",
    String(warmup),
    "--runs",
    String(runs),
  ]);
  return {
    apply_ms: median(lines.map((l) => l.apply_ms)),
    save_ms: median(lines.map((l) => l.save_ms)),
    load_ms: median(lines.map((l) => l.load_ms)),
    bytes: median(lines.map((l) => l.bytes)),
    peak_heap_mb: Math.max(...lines.map((l) => l.peak_heap_mb)),
    runs: lines.map((l) => l.apply_ms),
  };
}

function automerge(trace, warmup, runs) {
  const lines = jsonLines("java", [
    "-Xms2g",
    "-Xmx2g",
    "-jar",
    benchJar,
    "--engines",
    "automerge-jni",
    "--no-footprint",
    "--warmup",
    String(warmup),
    "--runs",
    String(runs),
    trace,
  ]);
  const line = lines.find((l) => l.engine === "automerge-jni");
  return { apply_ms: line.apply_ms, save_ms: line.save_ms, load_ms: line.load_ms, bytes: line.bytes };
}

/** The JVM options the launcher gives bench-trace. */
function launcherOptions() {
  const result = spawnSync(join(root, "converge"), ["bench-trace"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, CONVERGE_SHOW_JVM_OPTIONS: "1" },
  });
  return result.stdout.trim().split(/\s+/).filter((option) => option.length > 0);
}

/**
 * FootprintProbe with the launcher's settings: the heap the final document keeps, and the replay's
 * heap peak above its baseline (garbage included, so the collector settings matter).
 */
function memoryFigures(trace) {
  const [line] = jsonLines("java", [
    ...launcherOptions(),
    "-cp",
    benchJar,
    "dev.converge.bench.FootprintProbe",
    "converge",
    trace,
  ]);
  return { retained_heap_mb: line.heap_mb, apply_peak_mb: line.apply_peak_mb };
}

function historyFigures(trace, parsed, warmup, runs) {
  const lines = jsonLines(join(root, "converge"), [
    "bench-trace",
    trace,
    "--apply-changes",
    "--warmup",
    String(warmup),
    "--runs",
    String(runs),
  ]);
  const update = history(parsed);
  const yjs = applyUpdateTimes(parsed, update, warmup, runs);
  return {
    changes: lines[0].changes,
    apply_changes_ms: median(lines.map((l) => l.apply_changes_ms)),
    load_incremental_ms: median(lines.map((l) => l.load_incremental_ms)),
    yjs_update_bytes: update.length,
    yjs_apply_update_ms: median(yjs),
    yjs_runs: yjs,
  };
}

function row(name, mine, theirs) {
  const cells = [name, mine ?? "n/a", theirs ?? "n/a", ratio(mine, theirs) ?? "n/a"];
  return cells.map((cell, i) => String(cell).padStart(i === 0 ? 22 : 12)).join(" ");
}

function main() {
  const { warmup, runs, memory, traces } = parseArgs(process.argv.slice(2));
  let failed = false;
  for (const trace of traces) {
    const loadBefore = load();
    try {
      const parsed = loadTrace(trace);
      const figures = { trace, kind: parsed.kind === "concurrent" ? "concurrent" : "sequential" };
      figures.converge = converge(trace, warmup, runs);
      figures.automerge = automerge(trace, warmup, runs);
      if (memory) figures.memory = memoryFigures(trace);
      if (figures.kind === "concurrent") figures.history = historyFigures(trace, parsed, warmup, runs);
      figures.load_average = { before: loadBefore, after: load(), cores: cpus().length };
      const c = figures.converge;
      const a = figures.automerge;
      figures.ratios = {
        apply: ratio(c.apply_ms, a.apply_ms),
        save: ratio(c.save_ms, a.save_ms),
        load: ratio(c.load_ms, a.load_ms),
        apply_peak_over_retained: figures.memory
          ? ratio(figures.memory.apply_peak_mb, figures.memory.retained_heap_mb)
          : null,
      };
      if (figures.history) {
        figures.ratios.apply_changes_over_yjs = ratio(
          figures.history.apply_changes_ms,
          figures.history.yjs_apply_update_ms,
        );
      }
      console.log(`\n${trace} (${figures.kind}), ${warmup} warm-up + ${runs} runs, medians; load ${loadBefore} -> ${figures.load_average.after} on ${cpus().length} cores`);
      console.log(["", "converge", "automerge", "ratio"].map((h, i) => h.padStart(i === 0 ? 22 : 12)).join(" "));
      console.log(row("apply ms", c.apply_ms, a.apply_ms));
      console.log(row("save ms", c.save_ms, a.save_ms));
      console.log(row("load ms", c.load_ms, a.load_ms));
      console.log(row("bytes", c.bytes, a.bytes));
      if (memory) {
        const m = figures.memory;
        console.log(`  heap: retained ${m.retained_heap_mb} MB; replay peak ${m.apply_peak_mb} MB above baseline (${figures.ratios.apply_peak_over_retained}x), ${c.peak_heap_mb} MB with the parsed trace (bench-trace)`);
      }
      if (figures.history) {
        const h = figures.history;
        console.log(`  whole history (${h.changes} changes): applyChanges ${h.apply_changes_ms} ms, loadIncremental ${h.load_incremental_ms} ms; Yjs applyUpdate ${h.yjs_apply_update_ms} ms (${h.yjs_update_bytes} bytes); ratio ${figures.ratios.apply_changes_over_yjs}`);
      }
      console.log(JSON.stringify(figures));
    } catch (error) {
      failed = true;
      console.error(`versus: ${trace}: ${error.message}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
