package dev.converge.sim;

import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import dev.converge.core.sync.Have;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Exhaustive small-scope check of the sync protocol: every interleaving of message deliveries, with
 * duplicates, between 2 or 3 replicas that each make a few local changes.
 *
 * <p>The state space: each replica's document, one {@link SyncState} per ordered pair of replicas,
 * the messages in flight on each link, how many local changes each replica still has to make, and
 * how many duplicates were delivered. A transition delivers one message in flight (the oldest of
 * any link, or any message at all with {@link Scope#reorder()}), delivers a copy of one while
 * keeping it in flight (a duplicate, up to {@link Scope#duplicatesMax()}), or lets a replica make
 * its next local change (when {@link Scope#editsDuringSync()}). The receiver answers as the
 * simulator's replicas do: it calls {@link Sync#generateMessage} for every peer when its document
 * changed, else for the sender. A state is terminal when nothing is in flight and no local change
 * is left; in every terminal state all replicas must have the same heads, value and canonical save.
 *
 * <p>Reduction: an action reads and changes only one replica (a delivery its receiver: document,
 * sync state towards the sender, duplicate budget, and what it sends; a local change its editor),
 * so actions of different replicas commute and none disables another; a message sent to a replica
 * only adds to what it may do. The actions of any one replica are therefore a persistent set, and
 * exploring only those of the lowest-numbered replica that can act reaches every terminal state the
 * full interleaving reaches (Godefroid, partial-order reduction for deadlock detection). The tests
 * check this against the full search on scopes small enough for both.
 *
 * <p>How: depth-first search; each transition is taken on a copy of the state (documents forked
 * with their actors and queued changes, {@link SyncState#copy() sync states copied}). States are
 * memoized on a SHA-256 of a canonical key: each document's heads and queued changes, every
 * observable field of every sync state, and the sorted in-flight messages. The key uses the full
 * sync state, not only {@link SyncState#encode()} (which keeps just the shared heads), so two
 * states merge only when every later step behaves the same.
 */
public final class ExhaustiveSync {
  /**
   * The scope of one exploration.
   *
   * @param replicas 2 or 3
   * @param changesPerReplica local changes each replica makes, 1 to 3
   * @param duplicatesMax how many duplicate deliveries each replica may receive on one path
   * @param editsDuringSync whether local changes interleave with deliveries (else all are made
   *     before the first message)
   * @param reorder whether any message in flight may arrive next (else only the oldest of each
   *     link, as the ordered transport the protocol requires delivers them; a duplicate then
   *     arrives again before anything newer on its link)
   * @param line whether replicas sync only with their neighbours in a line (0–1–2, so 1 relays
   *     between 0 and 2) rather than every pair
   * @param depthMax a path longer than this counts as a livelock
   */
  public record Scope(
      int replicas,
      int changesPerReplica,
      int duplicatesMax,
      boolean editsDuringSync,
      boolean reorder,
      boolean line,
      int depthMax) {
    public Scope {
      if (replicas < 2 || replicas > 3) {
        throw new IllegalArgumentException("replicas must be 2 or 3, not " + replicas);
      }
      if (changesPerReplica < 1 || changesPerReplica > 3) {
        throw new IllegalArgumentException(
            "changesPerReplica must be 1 to 3, not " + changesPerReplica);
      }
      if (duplicatesMax < 0 || depthMax < 1) {
        throw new IllegalArgumentException(
            "duplicatesMax " + duplicatesMax + " and depthMax " + depthMax + " are out of range");
      }
    }
  }

  /**
   * What an exploration found.
   *
   * @param states distinct states explored
   * @param terminalStates distinct terminal states, each checked for convergence
   * @param transitions transitions taken (including those into states already seen)
   * @param depthReached the longest path explored
   * @param failure the first failing path, empty if every terminal state converged
   * @param terminalKeys the state keys of the terminal states, hex, sorted
   */
  public record Report(
      long states,
      long terminalStates,
      long transitions,
      int depthReached,
      Optional<String> failure,
      java.util.SortedSet<String> terminalKeys) {
    public Report {
      terminalKeys =
          java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(terminalKeys));
    }

    public boolean passed() {
      return failure.isEmpty();
    }
  }

  private final Scope scope;
  private final boolean reduce;
  private final Set<ByteBuffer> seen = new HashSet<>();
  private long terminalStates;
  private long transitions;
  private int depthReached;
  private Optional<String> failure = Optional.empty();
  private final TreeSet<String> terminalKeys = new TreeSet<>();

  private ExhaustiveSync(Scope scope, boolean reduce) {
    this.scope = scope;
    this.reduce = reduce;
  }

  /** Explores every state of {@code scope}; stops at the first failure. */
  public static Report explore(Scope scope) {
    return explore(scope, true);
  }

  /**
   * As {@link #explore(Scope)}; {@code reduce} false takes every interleaving instead of one
   * replica's actions per state, to check the reduction against (feasible only for small scopes).
   */
  static Report explore(Scope scope, boolean reduce) {
    ExhaustiveSync search = new ExhaustiveSync(scope, reduce);
    World initial;
    try {
      initial = World.initial(scope);
    } catch (ConvergeException e) {
      return new Report(
          0, 0, 0, 0, Optional.of("a replica rejected a first message: " + e), new TreeSet<>());
    }
    search.visit(initial, new ArrayList<>());
    return new Report(
        search.seen.size(),
        search.terminalStates,
        search.transitions,
        search.depthReached,
        search.failure,
        search.terminalKeys);
  }

  private void visit(World world, List<Integer> path) {
    byte[] key = world.key();
    if (failure.isPresent() || !seen.add(ByteBuffer.wrap(key))) {
      return;
    }
    depthReached = Math.max(depthReached, path.size());
    List<Integer> actions = world.actions(reduce);
    if (actions.isEmpty()) {
      terminalStates++;
      terminalKeys.add(HexFormat.of().formatHex(key));
      world
          .checkConverged()
          .ifPresent(problem -> failure = Optional.of(problem + "; path " + path));
      return;
    }
    if (path.size() >= scope.depthMax()) {
      failure = Optional.of("no end after " + path.size() + " steps (livelock); path " + path);
      return;
    }
    for (int action : actions) {
      transitions++;
      path.add(action);
      World next = world.copy();
      try {
        next.apply(action);
        visit(next, path);
      } catch (ConvergeException e) {
        failure = Optional.of("a replica rejected a message: " + e + "; path " + path);
      }
      path.remove(path.size() - 1);
      if (failure.isPresent()) {
        return;
      }
    }
  }

  /** One state: the replicas' documents and sync states, and the messages in flight. */
  private static final class World {
    private static final int LOCAL_BASE = 1_000_000;

    /** A message in flight. */
    private static final class Message {
      final int from;
      final int to;
      final byte[] bytes;

      Message(int from, int to, byte[] bytes) {
        this.from = from;
        this.to = to;
        this.bytes = bytes;
      }
    }

    private final Scope scope;
    private final Document[] docs;
    private final SyncState[][] states;
    private final int[] changesMade;
    private final List<Message> inFlight = new ArrayList<>();
    private final int[] duplicatesTo;

    private World(Scope scope) {
      this.scope = scope;
      int n = scope.replicas();
      Document base = Document.create(ActorId.of(new byte[] {(byte) 0xb0}), () -> 0L);
      base.change(
          tx -> {
            tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
            tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(0));
          });
      docs = new Document[n];
      states = new SyncState[n][n];
      changesMade = new int[n];
      duplicatesTo = new int[n];
      for (int r = 0; r < n; r++) {
        docs[r] = base.fork(ActorId.of(new byte[] {(byte) (0xa0 + r)}));
        for (int p = 0; p < n; p++) {
          states[r][p] = new SyncState();
        }
      }
    }

    /** The state before any delivery: local changes made unless they interleave, first sends. */
    static World initial(Scope scope) {
      World world = new World(scope);
      if (!scope.editsDuringSync()) {
        for (int r = 0; r < scope.replicas(); r++) {
          while (world.changesMade[r] < scope.changesPerReplica()) {
            world.edit(r);
          }
        }
      }
      for (int r = 0; r < scope.replicas(); r++) {
        for (int p = 0; p < scope.replicas(); p++) {
          if (world.linked(r, p)) {
            world.send(r, p);
          }
        }
      }
      return world;
    }

    private World(World source) {
      this.scope = source.scope;
      int n = source.docs.length;
      docs = new Document[n];
      states = new SyncState[n][n];
      for (int r = 0; r < n; r++) {
        Document doc = source.docs[r];
        docs[r] = doc.fork(doc.actor());
        docs[r].applyChanges(doc.queuedChanges());
        for (int p = 0; p < n; p++) {
          states[r][p] = source.states[r][p].copy();
        }
      }
      changesMade = source.changesMade.clone();
      inFlight.addAll(source.inFlight); // messages are never changed once sent
      duplicatesTo = source.duplicatesTo.clone();
    }

    /** An independent copy, to take one transition on. */
    World copy() {
      return new World(this);
    }

    /**
     * The actions to explore from here: with {@code reduce}, only those of one replica (see {@link
     * ExhaustiveSync}); else every enabled one.
     */
    List<Integer> actions(boolean reduce) {
      List<Integer> all = actions();
      if (!reduce || scope.reorder()) {
        return all;
      }
      for (int r = 0; r < scope.replicas(); r++) {
        if (!everyIncomingLinkBusy(r)) {
          continue;
        }
        List<Integer> persistent = new ArrayList<>();
        for (int action : all) {
          if (replicaOf(action) == r) {
            persistent.add(action);
          }
        }
        if (!persistent.isEmpty()) {
          return persistent;
        }
      }
      return all;
    }

    /**
     * Whether every link into {@code replica} has a message in flight: then nothing the other
     * replicas do can give it a new action (a new message only queues behind the oldest).
     */
    private boolean everyIncomingLinkBusy(int replica) {
      for (int p = 0; p < scope.replicas(); p++) {
        if (linked(p, replica)) {
          boolean busy = false;
          for (Message message : inFlight) {
            if (message.from == p && message.to == replica) {
              busy = true;
              break;
            }
          }
          if (!busy) {
            return false;
          }
        }
      }
      return true;
    }

    /** The replica whose state an action reads and changes: the receiver, or the editor. */
    private int replicaOf(int action) {
      return action >= LOCAL_BASE ? action - LOCAL_BASE : inFlight.get(action / 2).to;
    }

    /** Deliver i = 2i, duplicate i = 2i + 1, local change by r = LOCAL_BASE + r. */
    List<Integer> actions() {
      List<Integer> actions = new ArrayList<>();
      Set<String> distinct = new HashSet<>();
      for (int i = 0; i < inFlight.size(); i++) {
        Message message = inFlight.get(i);
        // Without reordering only the oldest message of each link may arrive; with it, identical
        // messages on one link lead to identical states, so one of them is explored.
        String link = message.from + ">" + message.to;
        String distinctBy = scope.reorder() ? link + ":" + Arrays.hashCode(message.bytes) : link;
        if (!distinct.add(distinctBy)) {
          continue;
        }
        actions.add(2 * i);
        if (duplicatesTo[message.to] < scope.duplicatesMax()) {
          actions.add(2 * i + 1);
        }
      }
      for (int r = 0; r < scope.replicas(); r++) {
        if (changesMade[r] < scope.changesPerReplica()) {
          actions.add(LOCAL_BASE + r);
        }
      }
      return actions;
    }

    void apply(int action) {
      if (action >= LOCAL_BASE) {
        int replica = action - LOCAL_BASE;
        edit(replica);
        announce(replica);
        return;
      }
      Message message = inFlight.get(action / 2);
      if (action % 2 == 0) {
        inFlight.remove(action / 2);
      } else {
        duplicatesTo[message.to]++;
      }
      List<ChangeHash> before = docs[message.to].heads();
      Sync.receiveMessage(docs[message.to], states[message.to][message.from], message.bytes);
      if (docs[message.to].heads().equals(before)) {
        send(message.to, message.from);
      } else {
        announce(message.to);
      }
    }

    private void edit(int replica) {
      int k = changesMade[replica]++;
      docs[replica].change(
          tx -> {
            ObjId text = ((Value.Obj) tx.get(ObjId.ROOT, "text").orElseThrow()).id();
            switch (k) {
              case 0 -> tx.put(ObjId.ROOT, "k", ScalarValue.integer(replica));
              case 1 -> tx.splice(text, 0, 0, replica == 0 ? "é" : "😀" + replica);
              default -> tx.increment(ObjId.ROOT, "counter", replica + 1);
            }
          });
    }

    private void announce(int replica) {
      for (int p = 0; p < scope.replicas(); p++) {
        if (linked(replica, p)) {
          send(replica, p);
        }
      }
    }

    boolean linked(int a, int b) {
      return a != b && (!scope.line() || Math.abs(a - b) == 1);
    }

    private void send(int from, int to) {
      Sync.generateMessage(docs[from], states[from][to])
          .ifPresent(bytes -> inFlight.add(new Message(from, to, bytes)));
    }

    Optional<String> checkConverged() {
      Document first = docs[0];
      byte[] canonical = CanonicalSave.of(first);
      for (int r = 1; r < docs.length; r++) {
        if (!docs[r].heads().equals(first.heads())) {
          return Optional.of(
              "replicas 0 and "
                  + r
                  + " ended with different heads "
                  + first.heads()
                  + " and "
                  + docs[r].heads());
        }
        if (!docs[r].toJson().equals(first.toJson())) {
          return Optional.of("replicas 0 and " + r + " have the same heads but different values");
        }
        if (!Arrays.equals(CanonicalSave.of(docs[r]), canonical)) {
          return Optional.of("replicas 0 and " + r + " have different canonical saves");
        }
      }
      for (Document doc : docs) {
        if (!doc.queuedChanges().isEmpty()) {
          return Optional.of("a replica still queues changes at the end");
        }
      }
      return Optional.empty();
    }

    /** A SHA-256 of everything that decides what happens next. */
    byte[] key() {
      StringBuilder key = new StringBuilder();
      for (int r = 0; r < docs.length; r++) {
        key.append("doc").append(r).append(docs[r].heads());
        for (var queued : docs[r].queuedChanges()) {
          key.append('q').append(queued.hash());
        }
        key.append("made").append(changesMade[r]);
        for (int p = 0; p < docs.length; p++) {
          if (p != r) {
            appendState(key.append("state").append(r).append(p), states[r][p]);
          }
        }
      }
      // In flight: per link in order, or as a multiset when any message may arrive next.
      List<String> messages = new ArrayList<>();
      for (Message message : inFlight) {
        messages.add(
            message.from
                + ">"
                + message.to
                + ":"
                + HexFormat.of().formatHex(sha256(message.bytes)));
      }
      if (scope.reorder()) {
        messages.sort(null);
      } else {
        // A stable sort by link keeps each link's order.
        messages.sort(
            java.util.Comparator.comparing(message -> message.substring(0, message.indexOf(':'))));
      }
      key.append("inflight").append(messages).append("dups").append(Arrays.toString(duplicatesTo));
      return sha256(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    private static void appendState(StringBuilder key, SyncState state) {
      key.append(state.sharedHeads())
          .append(state.lastSentHeads())
          .append(state.theirHeads())
          .append(state.theirNeed());
      Optional<List<Have>> have = state.theirHave();
      if (have.isPresent()) {
        for (Have entry : have.get()) {
          key.append(entry.lastSync()).append(HexFormat.of().formatHex(entry.bloom().toBytes()));
        }
      } else {
        key.append("nohave");
      }
      key.append(new TreeSet<>(state.sentHashes()))
          .append(state.inFlight())
          .append(state.haveResponded())
          .append(state.peerSupportsV2())
          .append(state.peerSupportsSyncReset());
    }
  }
}
