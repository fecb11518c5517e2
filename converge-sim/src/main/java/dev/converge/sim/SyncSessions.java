package dev.converge.sim;

import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The sync sessions between replicas, at most one per pair, and the protocol each end runs over the
 * {@link SimNetwork}: an ordered, reliable transport per session (a gap, a duplicate or a
 * reordering closes it), a timeout, a watchdog, and every new session starts from {@code
 * SyncState.decode(persisted)}. A replica whose document changed offers the change on every session
 * it has; one that received a message that changed nothing answers on that session alone.
 *
 * <p>A replica that speaks only version 1 of the protocol ({@link SyncProtocol#V1_ONLY}) writes
 * messages without flags and reads only v1 messages of change chunks, ignoring their flags; a
 * message it could not read is an invariant violation of its peer's sync code.
 *
 * <p>With {@link PlantedBug#DROP_RECEIVED_CHANGE} one replica (the victim, drawn at the start)
 * silently drops one change from what it receives.
 *
 * <p>Not thread-safe; the simulation is single-threaded.
 */
final class SyncSessions {
  /** Where a chunk's type is, after its magic number and checksum. */
  private static final int CHUNK_TYPE_INDEX = 8;

  /** The type of a change chunk, the only kind a v1-only replica can read in a message. */
  private static final int CHANGE_CHUNK_TYPE = 1;

  /** A session end waiting for an answer this long without receiving anything closes. */
  static final long TIMEOUT_MILLIS = 30_000;

  private final Replicas replicas;
  private final SimNetwork network;
  private final SimClock clock;
  private final SimStats stats;
  private final SplittableRandom random;
  private final PlantedBug plantedBug;
  private final int plantedBugVictim;
  private final Map<Integer, Session> sessions = new TreeMap<>();
  private long nextSessionId;
  private @Nullable ChangeHash poisonedChange;

  SyncSessions(
      Replicas replicas,
      SimNetwork network,
      SimClock clock,
      SimStats stats,
      SplittableRandom random,
      PlantedBug plantedBug,
      int plantedBugVictim) {
    this.replicas = replicas;
    this.network = network;
    this.clock = clock;
    this.stats = stats;
    this.random = random;
    this.plantedBug = plantedBug;
    this.plantedBugVictim = plantedBugVictim;
  }

  /** After the replica's document changed: offers the change on every session it has. */
  void announce(Replica replica) {
    for (Session session : List.copyOf(sessions.values())) {
      if (session.low.replica == replica.index || session.high.replica == replica.index) {
        send(session, session.end(replica.index));
      }
    }
  }

  private void send(Session session, Session.End end) {
    Replica sender = replicas.get(end.replica);
    Optional<SyncMessage> message = Sync.generate(sender.doc(), end.state);
    if (message.isEmpty()) {
      return;
    }
    SyncMessage outgoing = message.get();
    if (sender.protocol() == SyncProtocol.V1_ONLY) {
      outgoing = asV1Writes(outgoing, sender);
    }
    if (plantedBug == PlantedBug.V2_TO_V1_ONLY_PEER
        && replicas.get(end.peer).protocol() == SyncProtocol.V1_ONLY
        && !outgoing.changes().isEmpty()) {
      outgoing =
          new SyncMessage(
              SyncMessage.Version.V2,
              outgoing.heads(),
              outgoing.need(),
              outgoing.have(),
              List.of(outgoing.joinedChanges()),
              outgoing.flags());
    }
    stats.messagesSent++;
    network.send(session.id, end.replica, end.peer, end.nextSendSeq++, outgoing.encode());
  }

  /**
   * A message as a v1-only replica writes it: without a flags section. It never learned that its
   * peer speaks v2 (it ignores their flags), so its sync state only ever makes v1 messages.
   */
  private static SyncMessage asV1Writes(SyncMessage message, Replica sender) {
    if (message.version() != SyncMessage.Version.V1) {
      throw new InvariantViolation(
          "replica " + sender.index + " speaks only sync protocol v1 but made a v2 message");
    }
    return withoutFlags(message);
  }

  private static SyncMessage withoutFlags(SyncMessage message) {
    return new SyncMessage(
        SyncMessage.Version.V1,
        message.heads(),
        message.need(),
        message.have(),
        message.changes(),
        SyncMessage.NO_FLAGS);
  }

  /**
   * A message as a v1-only replica reads it: only a v1 message whose entries are change chunks, and
   * its flags trailer ignored.
   *
   * @throws InvariantViolation if the replica could not read it: its peer sent v2, or a document
   */
  private byte[] asV1Reads(byte[] bytes, SimNetwork.Envelope envelope) {
    SyncMessage message = SyncMessage.decode(bytes);
    boolean readable = message.version() == SyncMessage.Version.V1;
    for (byte[] entry : message.changes()) {
      readable &= entry.length > CHUNK_TYPE_INDEX && entry[CHUNK_TYPE_INDEX] == CHANGE_CHUNK_TYPE;
    }
    if (!readable) {
      throw new InvariantViolation(
          "replica "
              + envelope.to
              + " speaks only sync protocol v1 and got a message it cannot read from replica "
              + envelope.from
              + ": "
              + message);
    }
    stats.messagesReadAsV1++;
    return withoutFlags(message).encode();
  }

  /** A message arrives: on its session, in order, or the session closes. */
  void receive(SimNetwork.Envelope envelope) {
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
    end.lastReceivedMillis = clock.nowMillis();
    stats.messagesDelivered++;
    Replica replica = replicas.get(envelope.to);
    Document doc = replica.doc();
    byte[] bytes = envelope.bytes;
    if (plantedBug == PlantedBug.DROP_RECEIVED_CHANGE && envelope.to == plantedBugVictim) {
      bytes = dropPoisonedChange(bytes);
    }
    if (replica.protocol() == SyncProtocol.V1_ONLY) {
      bytes = asV1Reads(bytes, envelope);
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

  /** Connects a random pair of replicas, if both are up and not yet connected. */
  void connectRandomPair() {
    int a = random.nextInt(replicas.count());
    int b = random.nextInt(replicas.count());
    if (a != b) {
      open(a, b);
    }
  }

  /** Opens a session between {@code a} and {@code b}, unless one is down, cut off or connected. */
  void open(int a, int b) {
    if (!replicas.get(a).isUp()
        || !replicas.get(b).isUp()
        || network.partitioned(a, b)
        || sessions.containsKey(Session.pairKey(a, b))) {
      return;
    }
    int low = Math.min(a, b);
    int high = Math.max(a, b);
    long nowMillis = clock.nowMillis();
    Session session =
        new Session(
            nextSessionId++,
            new Session.End(low, high, restoredState(replicas.get(low), high), nowMillis),
            new Session.End(high, low, restoredState(replicas.get(high), low), nowMillis));
    sessions.put(Session.pairKey(a, b), session);
    stats.sessionsOpened++;
    send(session, session.low);
    send(session, session.high);
  }

  private static SyncState restoredState(Replica replica, int peer) {
    byte[] persisted = replica.syncState(peer);
    return persisted.length == 0 ? new SyncState() : SyncState.decode(persisted);
  }

  /** Closes a random session, as a connection that drops would. */
  void disconnectRandom() {
    if (sessions.isEmpty()) {
      return;
    }
    List<Session> open = List.copyOf(sessions.values());
    stats.sessionsClosedRandom++;
    close(open.get(random.nextInt(open.size())));
  }

  /** Closes every session of a replica that crashed. */
  void closeAllOf(Replica replica) {
    for (Session session : List.copyOf(sessions.values())) {
      if (session.low.replica == replica.index || session.high.replica == replica.index) {
        close(session);
      }
    }
  }

  /** Closes a session; each live end keeps its shared heads for the next session. */
  private void close(Session session) {
    sessions.remove(Session.pairKey(session.low.replica, session.high.replica));
    for (Session.End end : List.of(session.low, session.high)) {
      Replica replica = replicas.get(end.replica);
      if (replica.isUp()) {
        replica.keepSyncState(end.peer, end.state.encode());
      }
    }
  }

  /** Time passed: session timers fire (timeouts, then a watchdog round). */
  void timersFire() {
    long nowMillis = clock.nowMillis();
    for (Session session : List.copyOf(sessions.values())) {
      for (Session.End end : List.of(session.low, session.high)) {
        if (!sessions.containsKey(Session.pairKey(session.low.replica, session.high.replica))) {
          break;
        }
        if (end.state.inFlight() && nowMillis - end.lastReceivedMillis > TIMEOUT_MILLIS) {
          stats.sessionsClosedTimeout++;
          close(session);
        } else if (end.watchdog.afterRound(replicas.get(end.replica).doc(), end.state)) {
          stats.sessionsClosedWatchdog++;
          close(session);
        }
      }
    }
  }
}
