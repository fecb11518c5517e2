package dev.converge.sim;

import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.ShareLink;
import dev.converge.repo.sealed.SyncReport;
import dev.converge.repo.sealed.relay.Relay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The simulator for sealed documents: devices share one sealed document through a relay ({@link
 * Relay} on its SQLite store) over connections that lose requests and answers, reorder, duplicate
 * and damage envelopes, and cut devices off ({@link FaultyRelayChannel}); devices and the relay
 * restart (their stores closed and opened again). The production code runs unchanged: {@code
 * SealedRepo}, its sync, the relay and the wire codec.
 *
 * <p>How determinism works: as in {@link Simulation}, one {@link SplittableRandom} seeded from
 * {@link SimOptions#seed()} draws the fault profile, every step, every fault, every edit, and seeds
 * every device's randomness (IDs, actors, keys, nonces); so a seed replays: {@code converge sim
 * --sealed --seed S --steps N --replicas R}. The stores live in a temporary directory, deleted at
 * the end.
 *
 * <p>A run: device 0 creates the document, the others join by its share link, all sync without
 * faults; then {@code steps} random steps (edit, sync, restart a device or the relay, cut a device
 * off or reconnect it) under the drawn faults, where a sync may fail with a typed error (anything
 * else is a failure of the run); then faults stop and every device syncs in turn until a whole
 * round is in sync, within {@link #ROUNDS_MAX} rounds. Then every device must hold the same heads,
 * the same value, and every change any device made.
 *
 * <p>Not thread-safe: one instance per run; runs of different seeds may go in parallel.
 */
public final class SealedSimulation {
  /**
   * Rounds of the fault-free phase (each a sync of every device) before a run counts as stalled.
   */
  static final int ROUNDS_MAX = 20;

  private final SimOptions options;
  private final SplittableRandom random;
  private final SealedFaults faults;
  private final SealedSimStats stats = new SealedSimStats();
  private final Path root;
  private final List<SealedDevice> devices = new ArrayList<>();
  private final List<FaultyRelayChannel> channels = new ArrayList<>();
  private @Nullable Relay relay;
  private @Nullable DocumentId documentId;
  private int editCount;

  private SealedSimulation(SimOptions options, Path root) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    this.faults = SealedFaults.draw(random);
    this.root = root;
  }

  /** Runs one seed to the end; never throws for a failure of the system under test. */
  public static SimResult run(SimOptions options) {
    Path root;
    try {
      root = Files.createTempDirectory("converge-sealed-sim");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the simulation's directory", e);
    }
    SealedSimulation simulation = new SealedSimulation(options, root);
    try {
      return simulation.run();
    } finally {
      simulation.closeAll();
      deleteTree(root);
    }
  }

  private SimResult run() {
    Optional<String> failure = Optional.empty();
    int headsCount = 0;
    int changeCount = 0;
    try {
      setUp();
      for (int step = 0; step < options.steps(); step++) {
        stats.steps++;
        step();
      }
      converge();
      DocumentId id = document();
      headsCount = devices.get(0).heads(id).size();
      changeCount = allMade().size();
    } catch (InvariantViolation e) {
      failure = Optional.of(where() + e.getMessage());
    } catch (RuntimeException e) {
      failure = Optional.of(where() + "unexpected " + e + at(e));
    }
    return new SimResult(
        options, faults.toString(), stats.toString(), headsCount, changeCount, failure);
  }

  private String where() {
    return stats.convergenceRounds > 0
        ? "after " + stats.steps + " steps and " + stats.convergenceRounds + " rounds: "
        : "at step " + stats.steps + ": ";
  }

  private static String at(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length == 0 ? "" : " at " + trace[0];
  }

  private Relay relay() {
    Relay current = relay;
    if (current == null) {
      throw new IllegalStateException("the relay is closed");
    }
    return current;
  }

  private DocumentId document() {
    DocumentId id = documentId;
    if (id == null) {
      throw new IllegalStateException("no document yet");
    }
    return id;
  }

  private void setUp() {
    relay = Relay.open(directory("relay"), SealedLimits.DEFAULT);
    for (int i = 0; i < options.replicas(); i++) {
      devices.add(new SealedDevice(i, directory("device-" + i), random.split()));
      channels.add(new FaultyRelayChannel(this::relay, random.split(), faults, stats));
    }
    ShareLink link = devices.get(0).create();
    documentId = link.documentId();
    requireInSync(0, "creating the document");
    for (int i = 1; i < devices.size(); i++) {
      devices.get(i).join(link);
      requireInSync(i, "joining by the share link");
    }
    faults.start();
  }

  private Path directory(String name) {
    try {
      return Files.createDirectories(root.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + name, e);
    }
  }

  /** A sync before the faults start: it must end in sync. */
  private void requireInSync(int device, String what) {
    SyncReport report = devices.get(device).sync(document(), channels.get(device));
    count(report);
    if (!report.inSync()) {
      throw new InvariantViolation(
          "device " + device + " " + what + " without faults: " + report.problem().orElse(""));
    }
  }

  private void step() {
    int[] weights = {
      30, // edit
      40, // sync
      faults.restartWeight(), // restart a device
      faults.restartWeight() / 2, // restart the relay
      faults.partitionWeight(), // cut a device off, or reconnect it
    };
    int device = random.nextInt(devices.size());
    switch (pick(weights)) {
      case 0 -> {
        stats.edits++;
        devices.get(device).edit(document(), editCount++);
      }
      case 1 -> sync(device);
      case 2 -> {
        stats.deviceRestarts++;
        devices.get(device).restart();
      }
      case 3 -> {
        stats.relayRestarts++;
        relay().close();
        relay = Relay.open(root.resolve("relay"), SealedLimits.DEFAULT);
      }
      case 4 -> {
        FaultyRelayChannel channel = channels.get(device);
        if (!channel.partitioned()) {
          stats.partitions++;
        }
        channel.partition(!channel.partitioned());
      }
      default -> throw new AssertionError("step kind");
    }
  }

  private int pick(int[] weights) {
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    throw new AssertionError("weights");
  }

  /** One sync under faults. */
  private void sync(int device) {
    stats.syncs++;
    try {
      SyncReport report = devices.get(device).sync(document(), channels.get(device));
      count(report);
    } catch (ConvergeException e) {
      // A lost or damaged message: typed, and the next sync starts over.
      stats.syncsFailed++;
    }
  }

  private void count(SyncReport report) {
    stats.envelopesOpened += report.envelopesOpened();
    stats.envelopesRefused += report.rejected().size();
    if (report.inSync()) {
      stats.syncsInSync++;
    }
  }

  /** The fault-free phase: rounds of syncs until a whole round is in sync and heads agree. */
  private void converge() {
    faults.stop();
    for (FaultyRelayChannel channel : channels) {
      channel.partition(false);
    }
    List<String> problems = new ArrayList<>();
    for (int round = 0; round < ROUNDS_MAX; round++) {
      stats.convergenceRounds++;
      problems.clear();
      for (int device = 0; device < devices.size(); device++) {
        SyncReport report = devices.get(device).sync(document(), channels.get(device));
        count(report);
        if (!report.inSync()) {
          problems.add("device " + device + ": " + report.problem().orElse(""));
        }
      }
      if (problems.isEmpty() && headsAgree()) {
        checkConverged();
        return;
      }
    }
    throw new InvariantViolation(
        "stalled: not in sync after " + ROUNDS_MAX + " fault-free rounds; " + problems);
  }

  private boolean headsAgree() {
    List<ChangeHash> first = devices.get(0).heads(document());
    for (SealedDevice device : devices) {
      if (!device.heads(document()).equals(first)) {
        return false;
      }
    }
    return true;
  }

  private void checkConverged() {
    DocumentId id = document();
    String value = devices.get(0).json(id);
    List<ChangeHash> all = allMade();
    for (SealedDevice device : devices) {
      if (!device.json(id).equals(value)) {
        throw new InvariantViolation(
            "device " + device.index + " holds " + device.json(id) + ", device 0 " + value);
      }
      List<ChangeHash> missing = device.missing(id, all);
      if (!missing.isEmpty()) {
        throw new InvariantViolation(
            "device " + device.index + " lacks " + missing.size() + " changes, first " + missing);
      }
    }
  }

  private List<ChangeHash> allMade() {
    List<ChangeHash> all = new ArrayList<>();
    for (SealedDevice device : devices) {
      all.addAll(device.made());
    }
    return all;
  }

  private void closeAll() {
    for (SealedDevice device : devices) {
      device.close();
    }
    Relay current = relay;
    relay = null;
    if (current != null) {
      current.close();
    }
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
