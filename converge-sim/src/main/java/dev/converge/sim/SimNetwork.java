package dev.converge.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The simulated network between replicas: messages in flight, each due at a time drawn when it was
 * sent. While faults are on it drops and duplicates messages at the rates of the run's {@link
 * FaultProfile}, delays each by up to the profile's maximum, delivers a random one among those due
 * (so delays also reorder), and may be split in two by a partition that heals after a number of
 * steps; a message crossing the partition when it arrives is lost. Once faults stop, messages
 * arrive after one millisecond, the earliest first, and nothing is lost.
 *
 * <p>It carries bytes only: which session a message belongs to and what it means is for {@link
 * SyncSessions}, which also closes a session whose transport broke its promise.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SimNetwork {
  /** A message on the wire; the bytes are never modified. */
  static final class Envelope {
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

  private final SplittableRandom random;
  private final FaultProfile profile;
  private final SimClock clock;
  private final SimStats stats;
  private final List<Envelope> inFlight = new ArrayList<>();
  private boolean faultsOn = true;
  private boolean @Nullable [] partitionSide;
  private long healAtStep;

  SimNetwork(SplittableRandom random, FaultProfile profile, SimClock clock, SimStats stats) {
    this.random = random;
    this.profile = profile;
    this.clock = clock;
    this.stats = stats;
  }

  /** Puts a message on the wire, unless the network drops it; it may also duplicate it. */
  void send(long sessionId, int from, int to, long seq, byte[] bytes) {
    Envelope envelope = new Envelope(sessionId, from, to, seq, bytes, 0);
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
            clock.nowMillis() + delay));
  }

  /** Whether no message is in flight. */
  boolean isIdle() {
    return inFlight.isEmpty();
  }

  /**
   * Takes a random message among those due (the earliest one once faults stopped), moving time to
   * the earliest due time first; empty when nothing is in flight, or when the message taken was
   * lost to a partition.
   */
  Optional<Envelope> deliver() {
    if (inFlight.isEmpty()) {
      return Optional.empty();
    }
    long earliest = Long.MAX_VALUE;
    for (Envelope envelope : inFlight) {
      earliest = Math.min(earliest, envelope.deliverAtMillis);
    }
    clock.advanceTo(earliest);
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < inFlight.size(); i++) {
      if (inFlight.get(i).deliverAtMillis <= clock.nowMillis()) {
        due.add(i);
      }
    }
    int chosen = faultsOn ? due.get(random.nextInt(due.size())) : due.get(0);
    Envelope envelope = inFlight.remove(chosen);
    if (partitioned(envelope.from, envelope.to)) {
      stats.messagesDropped++;
      return Optional.empty();
    }
    return Optional.of(envelope);
  }

  /** Whether a partition separates replicas {@code a} and {@code b} now. */
  boolean partitioned(int a, int b) {
    boolean[] side = partitionSide;
    return side != null && side[a] != side[b];
  }

  boolean isPartitioned() {
    return partitionSide != null;
  }

  /** Splits the replicas by {@code side} until step {@code healAtStep}. */
  void partition(boolean[] side, long healAtStep) {
    this.partitionSide = side.clone();
    this.healAtStep = healAtStep;
  }

  /** Heals the partition if its time has come at {@code step}. */
  void healIfDue(long step) {
    if (partitionSide != null && step >= healAtStep) {
      partitionSide = null;
    }
  }

  /** Faults stop for good: no more drops, duplicates, delays or reordering; the partition heals. */
  void stopFaults() {
    faultsOn = false;
    partitionSide = null;
  }
}
