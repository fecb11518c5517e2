package dev.converge.bench.sync;

import dev.converge.bench.automerge.AutomergeJniEngine;
import dev.converge.core.ActorId;
import dev.converge.core.CommitOptions;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import dev.converge.trace.ConvergeEngine;
import dev.converge.trace.Trace;
import dev.converge.trace.TraceLoader;
import dev.converge.trace.TraceReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.automerge.Transaction;

/**
 * Sync protocol benchmark, Converge side by side with the JNI Automerge binding ({@code
 * org.automerge:automerge} 0.0.7, Rust Automerge): bytes on the wire, round trips and time until
 * two replicas stop sending, in two scenarios.
 *
 * <ul>
 *   <li><b>catch-up</b>: replica A holds the automerge-paper document (the trace replayed as local
 *       edits, about 260,000 changes); replica B is empty.
 *   <li><b>concurrent-1000</b>: A and B share that whole history, then each makes 1,000 single
 *       character inserts at seeded random positions; both start from fresh sync states.
 * </ul>
 *
 * <p>Run (after {@code mvn -pl converge-bench -am package -DskipTests}):
 *
 * <pre>
 * java -cp converge-bench/target/converge-bench-*.jar dev.converge.bench.sync.SyncBench \
 *     [--runs N] [--trace converge-bench/target/traces/sequential/automerge-paper.json.gz]
 * </pre>
 *
 * <p>Each run syncs fresh copies of the replicas (set up outside the timing): A sends first, then B
 * answers, and so on until neither has a message. A round trip is one A → B message and the B → A
 * answer to it (a last one-way message counts as a round trip too). Time covers every {@code
 * generate} and {@code receive} on both sides, which is the CPU cost of the protocol with a
 * zero-latency network. The first run of each engine is a warm-up and is not reported; the figures
 * are the median of the rest. Both replicas must end with equal heads and equal text, or the run
 * fails. Machine settings that matter: other load on the cores (the header prints the load average)
 * and the heap (give {@code -Xmx2g}).
 *
 * <p>Expected before measuring: the bytes and round trips equal to the binding's, since both run
 * the same protocol (the whole-document messages differ only in DEFLATE output); time dominated by
 * building B's document from the whole-document message (catch-up) and by the Bloom filter over
 * every change (concurrent), so within a small factor of the binding.
 *
 * <p>Output: a table, then one JSON object per engine and scenario: {@code
 * {"bench":"sync","scenario":..,"engine":..,"bytes":..,"messages":..,"round_trips":..,"ms":..}}.
 */
public final class SyncBench {
  private static final int CONCURRENT_CHANGES = 1_000;

  private SyncBench() {}

  /** One measured exchange. */
  record Result(
      String scenario, String engine, long bytes, int messages, int roundTrips, double ms) {
    String json() {
      return String.format(
          Locale.ROOT,
          "{\"bench\":\"sync\",\"scenario\":\"%s\",\"engine\":\"%s\",\"bytes\":%d,"
              + "\"messages\":%d,\"round_trips\":%d,\"ms\":%.1f}",
          scenario,
          engine,
          bytes,
          messages,
          roundTrips,
          ms);
    }
  }

  /** Two sides of an exchange, engine-neutral: each returns its next message or empty. */
  interface Side {
    Optional<byte[]> generate();

    void receive(byte[] message);
  }

  public static void main(String[] args) throws IOException {
    int runs = 3;
    Path tracePath = Path.of("converge-bench/target/traces/sequential/automerge-paper.json.gz");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--trace" -> tracePath = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "# sync bench: %s, %d measured runs after 1 warm-up, load average %.2f%n",
        tracePath.getFileName(),
        runs,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Trace trace = TraceLoader.load(tracePath);
    List<Result> results = new ArrayList<>();

    ConvergeEngine convergeEngine = new ConvergeEngine();
    ConvergeEngine.Replica paper = TraceReplay.replay(convergeEngine, trace);
    byte[] paperSaved = paper.document().save();
    results.add(median(runs, () -> convergeCatchUp(paper.document())));
    results.add(median(runs, () -> convergeConcurrent(paperSaved, paper.text())));

    AutomergeJniEngine jniEngine = new AutomergeJniEngine();
    AutomergeJniEngine.Replica jniPaper = TraceReplay.replay(jniEngine, trace);
    try {
      results.add(median(runs, () -> jniCatchUp(jniPaper.document())));
      results.add(median(runs, () -> jniConcurrent(paperSaved)));
    } finally {
      jniEngine.close(jniPaper);
    }
    print(results);
  }

  interface Run {
    Result run();
  }

  private static Result median(int runs, Run run) {
    run.run();
    List<Result> measured = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      measured.add(run.run());
    }
    measured.sort((x, y) -> Double.compare(x.ms(), y.ms()));
    return measured.get(measured.size() / 2);
  }

  /** Runs the exchange, A first, and measures it. */
  static Result exchange(String scenario, String engine, Side a, Side b) {
    long bytes = 0;
    int messages = 0;
    int roundTrips = 0;
    long start = System.nanoTime();
    for (int round = 0; ; round++) {
      if (round > 1_000) {
        throw new IllegalStateException(scenario + "/" + engine + ": no quiescence");
      }
      Optional<byte[]> toB = a.generate();
      toB.ifPresent(b::receive);
      Optional<byte[]> toA = b.generate();
      toA.ifPresent(a::receive);
      if (toB.isEmpty() && toA.isEmpty()) {
        break;
      }
      roundTrips++;
      for (Optional<byte[]> message : List.of(toB, toA)) {
        if (message.isPresent()) {
          messages++;
          bytes += message.get().length;
        }
      }
    }
    double ms = (System.nanoTime() - start) / 1e6;
    return new Result(scenario, engine, bytes, messages, roundTrips, ms);
  }

  private static Side convergeSide(Document doc) {
    SyncState state = new SyncState();
    return new Side() {
      @Override
      public Optional<byte[]> generate() {
        return Sync.generateMessage(doc, state);
      }

      @Override
      public void receive(byte[] message) {
        Sync.receiveMessage(doc, state, message);
      }
    };
  }

  private static Side jniSide(org.automerge.Document doc) {
    org.automerge.SyncState state = new org.automerge.SyncState();
    return new Side() {
      @Override
      public Optional<byte[]> generate() {
        return doc.generateSyncMessage(state);
      }

      @Override
      public void receive(byte[] message) {
        doc.receiveSyncMessage(state, message);
      }
    };
  }

  private static Result convergeCatchUp(Document paper) {
    Document empty = Document.create(actor(9));
    Result result = exchange("catch-up", "converge", convergeSide(paper), convergeSide(empty));
    requireEqual(paper.heads().equals(empty.heads()), "catch-up/converge heads");
    return result;
  }

  private static Result convergeConcurrent(byte[] shared, ObjId text) {
    Document a = Document.load(shared);
    a.setActor(actor(1));
    Document b = Document.load(shared);
    b.setActor(actor(2));
    editConverge(a, text, 1);
    editConverge(b, text, 2);
    Result result = exchange("concurrent-1000", "converge", convergeSide(a), convergeSide(b));
    requireEqual(a.heads().equals(b.heads()), "concurrent/converge heads");
    requireEqual(a.text(text).equals(b.text(text)), "concurrent/converge text");
    return result;
  }

  private static void editConverge(Document doc, ObjId text, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < CONCURRENT_CHANGES; i++) {
      int length = doc.length(text);
      int position = random.nextInt(length + 1);
      String insert = String.valueOf((char) ('a' + random.nextInt(26)));
      // Time 0, as the binding's transactions commit without a time: a millisecond timestamp
      // would cost 5 more bytes per change on the wire and measure the data, not the protocol.
      doc.change(CommitOptions.defaults().withTime(0), tx -> tx.splice(text, position, 0, insert));
    }
  }

  private static Result jniCatchUp(org.automerge.Document paper) {
    org.automerge.Document empty = new org.automerge.Document();
    try {
      Result result = exchange("catch-up", "automerge-jni", jniSide(paper), jniSide(empty));
      requireEqual(Arrays.equals(paper.getHeads(), empty.getHeads()), "catch-up/jni heads");
      return result;
    } finally {
      empty.free();
    }
  }

  /**
   * The concurrent scenario with the binding, from the same saved document the Converge replicas
   * load: both engines then sync the same history and, with the same actors, seeds and zero times,
   * the same new changes, so their bytes on the wire are comparable one for one.
   */
  private static Result jniConcurrent(byte[] shared) {
    org.automerge.Document base = org.automerge.Document.load(shared);
    org.automerge.Document a = base.fork(actor(1).toBytes());
    org.automerge.Document b = base.fork(actor(2).toBytes());
    base.free();
    try {
      org.automerge.ObjectId text = jniText(a);
      editJni(a, text, 1);
      editJni(b, text, 2);
      Result result = exchange("concurrent-1000", "automerge-jni", jniSide(a), jniSide(b));
      requireEqual(Arrays.equals(sorted(a.getHeads()), sorted(b.getHeads())), "concurrent/jni");
      requireEqual(
          a.text(text).orElseThrow().equals(b.text(text).orElseThrow()), "concurrent/jni text");
      return result;
    } finally {
      a.free();
      b.free();
    }
  }

  private static org.automerge.ObjectId jniText(org.automerge.Document doc) {
    return doc.get(org.automerge.ObjectId.ROOT, "text")
        .filter(value -> value instanceof org.automerge.AmValue.Text)
        .map(value -> ((org.automerge.AmValue.Text) value).getId())
        .orElseThrow(() -> new IllegalStateException("the saved document has no text object"));
  }

  private static String[] sorted(org.automerge.ChangeHash[] hashes) {
    String[] hex = new String[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      hex[i] = java.util.HexFormat.of().formatHex(hashes[i].getBytes());
    }
    Arrays.sort(hex);
    return hex;
  }

  private static void editJni(org.automerge.Document doc, org.automerge.ObjectId text, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < CONCURRENT_CHANGES; i++) {
      long length = doc.length(text);
      long position = random.nextInt((int) length + 1);
      String insert = String.valueOf((char) ('a' + random.nextInt(26)));
      try (Transaction tx = doc.startTransaction()) {
        tx.spliceText(text, position, 0, insert);
        tx.commit();
      }
    }
  }

  private static ActorId actor(int id) {
    byte[] bytes = new byte[16];
    Arrays.fill(bytes, (byte) (0x40 + id));
    return ActorId.of(bytes);
  }

  private static void requireEqual(boolean equal, String what) {
    if (!equal) {
      throw new IllegalStateException(what + ": the replicas did not converge");
    }
  }

  private static void print(List<Result> results) {
    System.out.printf(
        Locale.ROOT,
        "%-16s %-14s %12s %9s %11s %10s%n",
        "scenario",
        "engine",
        "bytes",
        "messages",
        "round trips",
        "ms");
    for (Result result : results) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %-14s %12d %9d %11d %10.1f%n",
          result.scenario(),
          result.engine(),
          result.bytes(),
          result.messages(),
          result.roundTrips(),
          result.ms());
    }
    for (Result converge : results) {
      for (Result jni : results) {
        if (converge.engine().equals("converge")
            && jni.engine().equals("automerge-jni")
            && converge.scenario().equals(jni.scenario())) {
          System.out.printf(
              Locale.ROOT,
              "%-16s converge/jni: bytes %.2fx, round trips %.2fx, time %.2fx%n",
              converge.scenario(),
              (double) converge.bytes() / jni.bytes(),
              (double) converge.roundTrips() / jni.roundTrips(),
              converge.ms() / jni.ms());
        }
      }
    }
    for (Result result : results) {
      System.out.println(result.json());
    }
  }
}
