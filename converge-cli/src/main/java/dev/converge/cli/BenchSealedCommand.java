package dev.converge.cli;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.sync.SyncLimits;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.RelayChannel;
import dev.converge.repo.sealed.RelayMessageCodec;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.SealedRepo;
import dev.converge.repo.sealed.SealingBenchmark;
import dev.converge.repo.sealed.ShareLink;
import dev.converge.repo.sealed.SyncReport;
import dev.converge.repo.sealed.relay.Relay;
import dev.converge.trace.ConvergeEngine;
import dev.converge.trace.Trace;
import dev.converge.trace.TraceLoader;
import dev.converge.trace.TraceReplay;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge bench-sealed TRACE [--seal-changes N]}: the cost of sealing, on one thread.
 * Replays the trace into a document, then times its catch-up into an empty device twice, in this
 * process, every repository (and {@code sealed.sqlite}) on disk in a temporary directory: plaintext
 * (the automerge sync protocol between two repositories' handles, until neither has a message) and
 * sealed (the writer syncs with an in-memory relay, then a device that joined by the share link
 * syncs from it; every relay message goes through its wire codec). Each gets two clocks, stopped
 * the same way in both modes: when the heads agree (the sync returned, the device holding every
 * change in memory and its log's appends still running) and when the device's log holds the changes
 * durably (and, sealed, the envelopes are recorded as applied). Bytes are the encoded messages both
 * ways. Then seals and signs {@code N} small changes (one key-value put each): one per envelope,
 * and in runs of 64 per envelope, the primitive alone; and a device's whole path (seal what is
 * pending after every 64 changes, store the envelopes in {@code sealed.sqlite}). Each rate is given
 * per second of wall time and per second of this thread's CPU time (the rate on one core, whatever
 * else runs on the machine). Prints one JSON line.
 */
@Command(
    name = "bench-sealed",
    mixinStandardHelpOptions = true,
    description =
        "Time a trace's catch-up into an empty device, plaintext and sealed, and the rate of"
            + " sealing small changes; print one JSON line.")
final class BenchSealedCommand implements Callable<Integer> {
  /** Changes per envelope in the second sealing run: a device that syncs now and then. */
  private static final int RUN_LENGTH = 64;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TRACE", description = "The trace, .json or .json.gz.")
  Path trace;

  @Option(
      names = "--seal-changes",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Small changes to seal one by one (default: ${DEFAULT-VALUE}).")
  int sealChanges;

  @Override
  public Integer call() {
    if (sealChanges < 1) {
      throw new ParameterException(
          spec.commandLine(), "--seal-changes must be >= 1, found " + sealChanges);
    }
    Trace loaded = load(trace);
    ConvergeEngine engine = new ConvergeEngine();
    ConvergeEngine.Replica replica = TraceReplay.replay(engine, loaded);
    byte[] saved = replica.document().save();
    int changes = replica.document().changes().size();
    engine.close(replica);
    SecureRandom random = new SecureRandom();
    Path work = temporaryDirectory();
    CatchUp plain;
    CatchUp sealed;
    try {
      plain = plaintextCatchUp(saved, work.resolve("plain"));
      sealed = sealedCatchUp(saved, random, work.resolve("sealed"));
    } finally {
      deleteTree(work);
    }
    List<byte[]> small = smallChanges(sealChanges);
    SealingBenchmark.SealRate each =
        SealingBenchmark.seal(small, 1, random, THREADS::getCurrentThreadCpuTime);
    SealingBenchmark.SealRate runs =
        SealingBenchmark.seal(small, RUN_LENGTH, random, THREADS::getCurrentThreadCpuTime);
    SealingBenchmark.SealRate device = sealOnDevice(sealChanges, random);
    spec.commandLine()
        .getOut()
        .println(
            String.format(
                Locale.ROOT,
                "{\"trace\":\"%s\",\"changes\":%d,"
                    + "\"plain_heads_ms\":%.1f,\"plain_durable_ms\":%.1f,\"plain_bytes\":%d,"
                    + "\"sealed_heads_ms\":%.1f,\"sealed_durable_ms\":%.1f,\"sealed_bytes\":%d,"
                    + "\"heads_ratio\":%.3f,\"durable_ratio\":%.3f,"
                    + "\"bytes_ratio\":%.3f,\"seal_changes\":%d,"
                    + "\"seal_each_per_s\":%.0f,\"seal_each_cpu_per_s\":%.0f,"
                    + "\"seal_runs_of_%d_per_s\":%.0f,\"seal_runs_of_%d_cpu_per_s\":%.0f,"
                    + "\"device_runs_of_%d_per_s\":%.0f,\"device_runs_of_%d_cpu_per_s\":%.0f}",
                loaded.name(),
                changes,
                plain.headsNanos() / 1e6,
                plain.durableNanos() / 1e6,
                plain.bytes(),
                sealed.headsNanos() / 1e6,
                sealed.durableNanos() / 1e6,
                sealed.bytes(),
                (double) sealed.headsNanos() / plain.headsNanos(),
                (double) sealed.durableNanos() / plain.durableNanos(),
                (double) sealed.bytes() / plain.bytes(),
                each.changes(),
                each.changesPerSecond(),
                each.changesPerCpuSecond(),
                RUN_LENGTH,
                runs.changesPerSecond(),
                RUN_LENGTH,
                runs.changesPerCpuSecond(),
                RUN_LENGTH,
                device.changesPerSecond(),
                RUN_LENGTH,
                device.changesPerCpuSecond()));
    return ExitCodes.OK;
  }

  /**
   * One catch-up: nanoseconds from the start until the heads agreed and until the device's log held
   * the changes durably, and the bytes sent both ways.
   */
  private record CatchUp(long headsNanos, long durableNanos, long bytes) {}

  /** An empty handle's plaintext sync with one holding {@code saved}. */
  private static CatchUp plaintextCatchUp(byte[] saved, Path directory) {
    SyncLimits limits = SyncLimits.DEFAULT;
    try (Repo source = Repo.open(directory.resolve("source"));
        Repo target = Repo.open(directory.resolve("target"))) {
      DocHandle from = source.importDocument(saved);
      DocHandle to = target.create();
      SyncState fromState = new SyncState();
      SyncState toState = new SyncState();
      long bytes = 0;
      long start = System.nanoTime();
      boolean sent = true;
      while (sent) {
        sent = false;
        Optional<SyncMessage> forward = from.generateSyncMessage(fromState);
        if (forward.isPresent()) {
          byte[] encoded = forward.get().encode();
          bytes += encoded.length;
          to.receiveSyncMessage(toState, SyncMessage.decode(encoded, limits), limits);
          sent = true;
        }
        Optional<SyncMessage> back = to.generateSyncMessage(toState);
        if (back.isPresent()) {
          byte[] encoded = back.get().encode();
          bytes += encoded.length;
          from.receiveSyncMessage(fromState, SyncMessage.decode(encoded, limits), limits);
          sent = true;
        }
      }
      long headsNanos = System.nanoTime() - start;
      join(to.whenDurable());
      long durableNanos = System.nanoTime() - start;
      requireSameHeads(from, to);
      return new CatchUp(headsNanos, durableNanos, bytes);
    }
  }

  /** An empty device's sealed catch-up through a relay. */
  private static CatchUp sealedCatchUp(byte[] saved, SecureRandom random, Path directory) {
    Path sourceDirectory = directory.resolve("source");
    Path targetDirectory = directory.resolve("target");
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Repo source = Repo.open(sourceDirectory);
        Repo target = Repo.open(targetDirectory);
        SealedRepo writer = SealedRepo.open(source, sourceDirectory, SealedLimits.DEFAULT, random);
        SealedRepo reader =
            SealedRepo.open(target, targetDirectory, SealedLimits.DEFAULT, random)) {
      DocHandle from = source.importDocument(saved);
      ShareLink link = writer.seal(from);
      AtomicLong bytes = new AtomicLong();
      RelayChannel channel =
          request -> {
            byte[] encoded = RelayMessageCodec.encode(request);
            byte[] answer = relay.handle(encoded);
            bytes.addAndGet(encoded.length + answer.length);
            return RelayMessageCodec.decode(answer, SealedLimits.DEFAULT);
          };
      requireInSync(writer.sync(link.documentId(), channel));
      DocHandle to = reader.join(link);
      bytes.set(0);
      long start = System.nanoTime();
      requireInSync(reader.sync(link.documentId(), channel));
      long headsNanos = System.nanoTime() - start;
      long syncBytes = bytes.get();
      join(to.whenDurable());
      reader.awaitDurable(link.documentId());
      long durableNanos = System.nanoTime() - start;
      requireSameHeads(from, to);
      return new CatchUp(headsNanos, durableNanos, syncBytes);
    }
  }

  /** The device's sealing path, its {@code sealed.sqlite} in a temporary directory. */
  private static SealingBenchmark.SealRate sealOnDevice(int count, SecureRandom random) {
    Path directory = temporaryDirectory();
    try {
      return SealingBenchmark.sealOnDevice(
          count, RUN_LENGTH, directory, random, THREADS::getCurrentThreadCpuTime);
    } finally {
      deleteTree(directory);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("converge-bench-sealed");
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.IO, "cannot make a temporary directory: " + CliText.reason(e), e);
    }
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.IO, "cannot delete " + directory + ": " + CliText.reason(e), e);
    }
  }

  /** {@code count} changes of one small put each, as their chunks. */
  private static List<byte[]> smallChanges(int count) {
    Document document = Document.create();
    List<byte[]> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = i;
      Optional<Change> change = document.change(tx -> tx.put(ObjId.ROOT, "k" + (n % 16), n));
      chunks.add(change.orElseThrow().toBytes());
    }
    return chunks;
  }

  private static void join(java.util.concurrent.CompletableFuture<Void> durable) {
    try {
      durable.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof ConvergeException cause ? cause : e;
    }
  }

  private static void requireSameHeads(DocHandle a, DocHandle b) {
    if (!a.heads().equals(b.heads())) {
      throw new IllegalStateException("catch-up ended with different heads");
    }
  }

  private static void requireInSync(SyncReport report) {
    if (!report.inSync()) {
      throw new IllegalStateException("sealed sync did not finish: " + report);
    }
  }

  private static Trace load(Path file) {
    try {
      return TraceLoader.load(file);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot read trace " + file + ": " + CliText.reason(e),
          e);
    }
  }
}
