package dev.converge.sim;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The deterministic simulator: replicas of one document edit it and sync pairwise through a
 * simulated network that drops, duplicates, delays and reorders messages and splits into partitions
 * that heal, while replicas crash (losing unsynced writes) and restart, and wall clocks jump either
 * way.
 *
 * <p>How determinism works: one {@link SplittableRandom} seeded from {@link SimOptions#seed()}
 * draws every choice (the fault profile, which step runs next, which replica, which message, every
 * edit, every actor ID), time is a simulated millisecond counter that only the simulation advances,
 * and all collections iterated are ordered (TreeMap, lists). The production sync code ({@link
 * Sync}, {@link SyncState}, {@link dev.converge.core.sync.SyncWatchdog}) runs unchanged. So a seed
 * replays exactly: {@code converge sim --seed S --steps N --replicas R}.
 *
 * <p>A run has two phases. In the first, {@code steps} random steps, with the checks of {@link
 * Invariants} after each. In the second, faults stop: the partition heals, crashed replicas
 * restart, every pair connects, messages are delivered in order without loss, and the run goes on
 * until no message is in flight and all replicas have the same heads, within {@link
 * #LIVENESS_STEPS_MAX} steps (more is a stall). At the end every replica must have the same heads,
 * the same value, the same {@link CanonicalSave} bytes, every acknowledged change, and a save that
 * loads and saves again to the same bytes. Raw {@code saveNoCompress()} bytes are not compared
 * across replicas: as in Automerge, a document chunk lists changes in the order they were applied
 * (automerge-compat §0.1, finding 2), which legitimately differs between replicas.
 *
 * <p>The sync sessions follow the rules of the sync package: an ordered, reliable transport per
 * session (gaps, duplicates and reorderings close it), a timeout, a watchdog, and every new session
 * starts from {@code SyncState.decode(persisted)}.
 *
 * <p>Not thread-safe: one instance per run; runs of different seeds may go in parallel.
 */
public final class Simulation {
  /** The simulated wall clock starts here (2023-11-14), so clock jumps backwards stay positive. */
  static final long START_MILLIS = 1_700_000_000_000L;

  /** A session end waiting for an answer this long without receiving anything closes. */
  static final long TIMEOUT_MILLIS = 30_000;

  /** Steps of the fault-free phase before a run that has not converged counts as stalled. */
  static final int LIVENESS_STEPS_MAX = 20_000;

  private static final long HOUR_MILLIS = 3_600_000L;
  private static final long[] CLOCK_JUMPS = {
    -24 * HOUR_MILLIS, -HOUR_MILLIS, HOUR_MILLIS, 24 * HOUR_MILLIS
  };

  /** A message on the wire; the bytes are never modified. */
  private static final class Envelope {
    final long sessionId;
    final int from;
    final int to;
    final long seq;
    final byte[] bytes;
    final long deliverAtMillis;

    Envelope(long sessionId, int from, int to, long seq, byte[] bytes, long deliverAtMillis) {
      this.sessionId = sessionId;
      this.from = from;
      this.to = to;
      this.seq = seq;
      this.bytes = bytes;
      this.deliverAtMillis = deliverAtMillis;
    }
  }

  private final SimOptions options;
  private final SplittableRandom random;
  private final FaultProfile profile;
  private final SimStats stats = new SimStats();
  private final Replica[] replicas;
  private final Invariants invariants;
  private final Map<Integer, Session> sessions = new TreeMap<>();
  private final List<Envelope> inFlight = new ArrayList<>();
  private long nowMillis = START_MILLIS;
  private long nextSessionId;
  private boolean faultsOn = true;
  private boolean @Nullable [] partitionSide;
  private long healAtStep;
  private final int plantedBugVictim;
  private @Nullable ChangeHash poisonedChange;

  private Simulation(SimOptions options) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    this.profile = FaultProfile.draw(random);
    this.plantedBugVictim = random.nextInt(options.replicas());
    this.replicas = new Replica[options.replicas()];
    for (int i = 0; i < replicas.length; i++) {
      replicas[i] = new Replica(i, random, () -> nowMillis, options.plantedBug());
    }
    this.invariants = new Invariants(options.replicas());
  }

  /** Runs one seed to the end; never throws for a failure of the system under test. */
  public static SimResult run(SimOptions options) {
    return new Simulation(options).run();
  }

  private SimResult run() {
    Optional<String> failure = Optional.empty();
    try {
      start();
      for (int step = 0; step < options.steps(); step++) {
        stats.steps++;
        step();
        checkInvariants();
      }
      converge();
      checkConverged();
    } catch (InvariantViolation e) {
      failure = Optional.of(where() + e.getMessage() + causeOf(e));
    } catch (RuntimeException e) {
      failure = Optional.of(where() + "unexpected " + e + at(e));
    }
    Document first = replicas[0].doc();
    return new SimResult(
        options,
        profile.toString(),
        stats.toString(),
        first.heads().size(),
        first.hashesSince(List.of()).size(),
        failure);
  }

  private String where() {
    return stats.livenessSteps > 0
        ? "after " + stats.steps + " steps and " + stats.livenessSteps + " convergence steps: "
        : "at step " + stats.steps + ": ";
  }

  private static String causeOf(Throwable e) {
    Throwable cause = e.getCause();
    return cause == null ? "" : " (cause: " + cause + at(cause) + ")";
  }

  private static String at(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length == 0 ? "" : " at " + trace[0];
  }

  private void start() {
    if (profile.sharedStart()) {
      Replica first = replicas[0];
      Change base = first.doc().change(SimEdits::init).orElseThrow();
      first.localChangeWritten(base.hash());
      first.sync();
      byte[] saved = first.doc().save();
      for (int i = 1; i < replicas.length; i++) {
        replicas[i].doc().loadIncremental(saved, dev.converge.core.LoadOptions.DEFAULT);
        replicas[i].sync();
      }
    }
    checkInvariants();
  }

  private void checkInvariants() {
    for (Replica replica : replicas) {
      invariants.check(replica);
    }
  }

  private void step() {
    nowMillis += 1 + random.nextInt(50);
    if (partitionSide != null && stats.steps >= healAtStep) {
      partitionSide = null;
    }
    int[] weights = {
      20, // edit
      40, // deliver
      10, // connect
      1, // disconnect
      8, // tick
      8, // sync a disk
      profile.crashWeight(),
      4, // restart
      profile.partitionWeight(),
      profile.clockJumpWeight(),
    };
    switch (pick(weights)) {
      case 0 -> edit();
      case 1 -> deliver();
      case 2 -> connect();
      case 3 -> disconnect();
      case 4 -> tick(random.nextInt(5_000));
      case 5 -> randomUpReplica().ifPresent(Replica::sync);
      case 6 -> crash();
      case 7 -> restart();
      case 8 -> partition();
      case 9 -> jumpClock();
      default -> throw new AssertionError("step kind");
    }
  }

  private int pick(int[] weights) {
    int total = Arrays.stream(weights).sum();
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    throw new AssertionError("weights " + Arrays.toString(weights));
  }

  private Optional<Replica> randomUpReplica() {
    List<Replica> up = new ArrayList<>();
    for (Replica replica : replicas) {
      if (replica.isUp()) {
        up.add(replica);
      }
    }
    return up.isEmpty() ? Optional.empty() : Optional.of(up.get(random.nextInt(up.size())));
  }

  private void edit() {
    Optional<Replica> chosen = randomUpReplica();
    if (chosen.isEmpty()) {
      return;
    }
    Replica replica = chosen.get();
    Optional<Change> change = SimEdits.change(replica.doc(), random);
    if (change.isEmpty()) {
      return;
    }
    stats.localChanges++;
    replica.localChangeWritten(change.get().hash());
    if (random.nextInt(100) < profile.syncOnWritePercent()) {
      replica.sync();
    }
    announce(replica);
  }

  /** After the replica's document changed: offer the change on every session it has. */
  private void announce(Replica replica) {
    for (Session session : List.copyOf(sessions.values())) {
      if (session.low.replica == replica.index || session.high.replica == replica.index) {
        send(session, session.end(replica.index));
      }
    }
  }

  private void send(Session session, Session.End end) {
    Optional<byte[]> message = Sync.generateMessage(replicas[end.replica].doc(), end.state);
    if (message.isEmpty()) {
      return;
    }
    stats.messagesSent++;
    Envelope envelope =
        new Envelope(session.id, end.replica, end.peer, end.nextSendSeq++, message.get(), 0);
    if (faultsOn && random.nextInt(100) < profile.dropPercent()) {
      stats.messagesDropped++;
      return;
    }
    enqueue(envelope);
    if (faultsOn && random.nextInt(100) < profile.duplicatePercent()) {
      stats.messagesDuplicated++;
      enqueue(envelope);
    }
  }

  private void enqueue(Envelope envelope) {
    long delay =
        faultsOn && profile.delayMaxMillis() > 0 ? random.nextInt(profile.delayMaxMillis() + 1) : 1;
    inFlight.add(
        new Envelope(
            envelope.sessionId,
            envelope.from,
            envelope.to,
            envelope.seq,
            envelope.bytes,
            nowMillis + delay));
  }

  /** Delivers a random message among those due (the earliest one once faults stopped). */
  private void deliver() {
    if (inFlight.isEmpty()) {
      return;
    }
    long earliest = Long.MAX_VALUE;
    for (Envelope envelope : inFlight) {
      earliest = Math.min(earliest, envelope.deliverAtMillis);
    }
    nowMillis = Math.max(nowMillis, earliest);
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < inFlight.size(); i++) {
      if (inFlight.get(i).deliverAtMillis <= nowMillis) {
        due.add(i);
      }
    }
    int chosen = faultsOn ? due.get(random.nextInt(due.size())) : due.get(0);
    receive(inFlight.remove(chosen));
  }

  private void receive(Envelope envelope) {
    if (partitioned(envelope.from, envelope.to)) {
      stats.messagesDropped++;
      return;
    }
    Session session = sessions.get(Session.pairKey(envelope.from, envelope.to));
    if (session == null || session.id != envelope.sessionId) {
      return; // The connection it was sent on is gone.
    }
    Session.End end = session.end(envelope.to);
    if (envelope.seq != end.expectedSeq) {
      stats.sessionsClosedGap++;
      close(session);
      return;
    }
    end.expectedSeq++;
    end.lastReceivedMillis = nowMillis;
    stats.messagesDelivered++;
    Replica replica = replicas[envelope.to];
    Document doc = replica.doc();
    byte[] bytes = envelope.bytes;
    if (options.plantedBug() == PlantedBug.DROP_RECEIVED_CHANGE
        && envelope.to == plantedBugVictim) {
      bytes = dropPoisonedChange(bytes);
    }
    List<ChangeHash> before = doc.heads();
    try {
      Sync.receiveMessage(doc, end.state, bytes);
    } catch (ConvergeException e) {
      throw new InvariantViolation(
          "replica " + envelope.to + " rejected a message from replica " + envelope.from, e);
    }
    if (doc.heads().equals(before)) {
      send(session, end);
    } else {
      replica.write();
      announce(replica);
    }
    if (end.watchdog.afterRound(doc, end.state)) {
      stats.sessionsClosedWatchdog++;
      close(session);
    }
  }

  private byte[] dropPoisonedChange(byte[] bytes) {
    return PoisonedChange.drop(bytes, this::poison, () -> stats.changesDroppedByPlantedBug++);
  }

  /** The change the planted bug drops: the first it sees, chosen at random, then always that. */
  private ChangeHash poison(List<ChangeHash> candidates) {
    if (poisonedChange == null) {
      poisonedChange = candidates.get(random.nextInt(candidates.size()));
    }
    return poisonedChange;
  }

  private boolean partitioned(int a, int b) {
    boolean[] side = partitionSide;
    return side != null && side[a] != side[b];
  }

  private void connect() {
    int a = random.nextInt(replicas.length);
    int b = random.nextInt(replicas.length);
    if (a != b) {
      open(a, b);
    }
  }

  private void open(int a, int b) {
    if (!replicas[a].isUp()
        || !replicas[b].isUp()
        || partitioned(a, b)
        || sessions.containsKey(Session.pairKey(a, b))) {
      return;
    }
    int low = Math.min(a, b);
    int high = Math.max(a, b);
    Session session =
        new Session(
            nextSessionId++,
            new Session.End(low, high, restoredState(replicas[low], high), nowMillis),
            new Session.End(high, low, restoredState(replicas[high], low), nowMillis));
    sessions.put(Session.pairKey(a, b), session);
    stats.sessionsOpened++;
    send(session, session.low);
    send(session, session.high);
  }

  private static SyncState restoredState(Replica replica, int peer) {
    byte[] persisted = replica.syncState(peer);
    return persisted.length == 0 ? new SyncState() : SyncState.decode(persisted);
  }

  private void disconnect() {
    if (sessions.isEmpty()) {
      return;
    }
    List<Session> open = List.copyOf(sessions.values());
    stats.sessionsClosedRandom++;
    close(open.get(random.nextInt(open.size())));
  }

  /** Closes a session; each live end keeps its shared heads for the next session. */
  private void close(Session session) {
    sessions.remove(Session.pairKey(session.low.replica, session.high.replica));
    for (Session.End end : List.of(session.low, session.high)) {
      Replica replica = replicas[end.replica];
      if (replica.isUp()) {
        replica.keepSyncState(end.peer, end.state.encode());
      }
    }
  }

  /** Time passes: session timers fire (timeouts, then a watchdog round). */
  private void tick(long millis) {
    nowMillis += millis;
    for (Session session : List.copyOf(sessions.values())) {
      for (Session.End end : List.of(session.low, session.high)) {
        if (!sessions.containsKey(Session.pairKey(session.low.replica, session.high.replica))) {
          break;
        }
        if (end.state.inFlight() && nowMillis - end.lastReceivedMillis > TIMEOUT_MILLIS) {
          stats.sessionsClosedTimeout++;
          close(session);
        } else if (end.watchdog.afterRound(replicas[end.replica].doc(), end.state)) {
          stats.sessionsClosedWatchdog++;
          close(session);
        }
      }
    }
  }

  private void crash() {
    Optional<Replica> chosen = randomUpReplica();
    if (chosen.isEmpty()) {
      return;
    }
    Replica replica = chosen.get();
    stats.crashes++;
    stats.recordsLost += replica.crash();
    for (Session session : List.copyOf(sessions.values())) {
      if (session.low.replica == replica.index || session.high.replica == replica.index) {
        close(session);
      }
    }
  }

  private void restart() {
    List<Replica> down = new ArrayList<>();
    for (Replica replica : replicas) {
      if (!replica.isUp()) {
        down.add(replica);
      }
    }
    if (!down.isEmpty()) {
      if (down.get(random.nextInt(down.size())).restart()) {
        stats.tornRecordsDropped++;
      }
    }
  }

  private void partition() {
    if (partitionSide != null) {
      return;
    }
    boolean[] side = new boolean[replicas.length];
    side[0] = true;
    side[1] = false;
    for (int i = 2; i < side.length; i++) {
      side[i] = random.nextBoolean();
    }
    for (int i = side.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      boolean swap = side[i];
      side[i] = side[j];
      side[j] = swap;
    }
    partitionSide = side;
    healAtStep = stats.steps + 20 + random.nextInt(200);
    stats.partitions++;
  }

  private void jumpClock() {
    Replica replica = replicas[random.nextInt(replicas.length)];
    replica.jumpClock(CLOCK_JUMPS[random.nextInt(CLOCK_JUMPS.length)]);
    stats.clockJumps++;
  }

  /** The fault-free phase: runs until nothing is in flight and all heads are equal. */
  private void converge() {
    faultsOn = false;
    partitionSide = null;
    for (Replica replica : replicas) {
      if (!replica.isUp() && replica.restart()) {
        stats.tornRecordsDropped++;
      }
    }
    while (true) {
      if (stats.livenessSteps >= LIVENESS_STEPS_MAX) {
        throw new InvariantViolation(
            "stalled: " + LIVENESS_STEPS_MAX + " steps without converging; " + headsReport());
      }
      stats.livenessSteps++;
      for (int a = 0; a < replicas.length; a++) {
        for (int b = a + 1; b < replicas.length; b++) {
          open(a, b);
        }
      }
      if (!inFlight.isEmpty()) {
        deliver();
      } else if (allHeadsEqual()) {
        return;
      } else {
        tick(1_000);
      }
      checkInvariants();
    }
  }

  private boolean allHeadsEqual() {
    List<ChangeHash> heads = replicas[0].doc().heads();
    for (Replica replica : replicas) {
      if (!replica.doc().heads().equals(heads)) {
        return false;
      }
    }
    return true;
  }

  private String headsReport() {
    StringBuilder out = new StringBuilder();
    for (Replica replica : replicas) {
      Document doc = replica.doc();
      out.append("replica ")
          .append(replica.index)
          .append(": ")
          .append(doc.hashesSince(List.of()).size())
          .append(" changes, ")
          .append(doc.heads().size())
          .append(" heads, ")
          .append(doc.missingDeps().size())
          .append(" missing deps; ");
    }
    return out.toString();
  }

  private void checkConverged() {
    Document first = replicas[0].doc();
    String json = first.toJson();
    byte[] saved = CanonicalSave.of(first);
    Set<ChangeHash> acknowledged = new LinkedHashSet<>();
    for (Replica replica : replicas) {
      acknowledged.addAll(replica.acknowledged());
    }
    for (Replica replica : replicas) {
      Document doc = replica.doc();
      String which = "replica " + replica.index + " and replica 0 ";
      if (!doc.heads().equals(first.heads())) {
        throw new InvariantViolation(which + "have different heads; " + headsReport());
      }
      if (!doc.queuedChanges().isEmpty()) {
        throw new InvariantViolation(
            "replica "
                + replica.index
                + " still queues "
                + doc.queuedChanges().size()
                + " changes");
      }
      if (!doc.toJson().equals(json)) {
        throw new InvariantViolation(which + "have the same heads but different values");
      }
      byte[] own = doc.saveNoCompress();
      if (!Arrays.equals(Document.load(own).saveNoCompress(), own)) {
        throw new InvariantViolation(
            "replica " + replica.index + ": saveNoCompress of its own load differs from its save");
      }
      if (!Arrays.equals(CanonicalSave.of(doc), saved)) {
        throw new InvariantViolation(
            which + "have the same heads but different canonical saveNoCompress bytes");
      }
      for (ChangeHash hash : acknowledged) {
        if (!doc.hasChange(hash)) {
          throw new InvariantViolation(
              "replica " + replica.index + " lacks acknowledged change " + hash);
        }
      }
    }
  }
}
