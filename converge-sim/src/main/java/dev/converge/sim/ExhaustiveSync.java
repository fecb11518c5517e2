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
import dev.converge.core.sync.SyncLimits;
import dev.converge.core.sync.SyncMessage;
import dev.converge.core.sync.SyncState;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Exhaustive small-scope check of the sync protocol: every interleaving of message deliveries, with
 * duplicates, between 2 or 3 replicas that each make a few local changes.
 *
 * <p>The state space: each replica's document, one {@link SyncState} per ordered pair of replicas,
 * the messages in flight on each link, how many local changes each replica still has to make, and
 * how many duplicates it received. A transition delivers one message in flight (the oldest of its
 * link, or any message at all with {@link Scope#reorder()}), delivers a copy of one while keeping
 * it in flight (a duplicate, up to {@link Scope#duplicatesMax()} per receiving replica), or lets a
 * replica make its next local change (when {@link Scope#editsDuringSync()}). The receiver answers
 * as the simulator's replicas do: it calls {@link Sync#generateMessage} for every peer when its
 * document changed, else for the sender. A state is terminal when nothing is in flight and no local
 * change is left; in every terminal state all replicas must have the same heads, value and
 * canonical save.
 *
 * <p>Reduction. Every transition reads and changes one replica only (a delivery its receiver:
 * document, sync state towards the sender, duplicate budget, and the tails of its outgoing links; a
 * local change its editor), and a link has one writer and one reader, so transitions of different
 * replicas commute and none disables another. What makes interleavings differ is only the order in
 * which each replica takes messages from its different incoming links (and where its local changes
 * fall between them). The reduced search makes that order an explicit choice: a replica may also
 * <em>wait</em> for its next message from one link that is empty now, after which it takes that
 * link's next message (or a duplicate of it) and nothing else. In this extended system the choices
 * a replica has never depend on what the others do: a waiting replica has the one link it waits on,
 * and a free one every link (taking or waiting) and its next local change. So the enabled
 * transitions of any one replica form a persistent set, and exploring only those of one replica per
 * state (the one with the fewest, preferring those that need not wait) reaches every deadlock of
 * the extended system (Godefroid, "Partial-order methods for the verification of concurrent
 * systems", theorem 4.3; it holds with memoized states, since each state visited has some
 * persistent set explored in full). One exception keeps the waiting choices few: a free replica
 * with nothing in flight towards it and no local change left is idle, with no transitions at all
 * until a message arrives; it then chooses among everything, so no choice is lost, and while idle
 * it is never the replica whose set is explored. Every run of the real system is a run of the
 * extended one that waits just before each delivery, so every terminal state of the real system is
 * reached, as a deadlock in which nothing is in flight and every local change is made. A deadlock
 * with messages still in flight (a replica waits on a link that stays empty) is no terminal state
 * of the real system and is skipped: the orders in which that replica takes its other messages are
 * explored from the state where it chose to wait. Reordering is not reduced this way (a new message
 * would give the receiver a new choice), so scopes with {@link Scope#reorder()} take every
 * interleaving. The tests check that both searches reach the same terminal states on every scope
 * small enough for the full one, the three-replica mesh included.
 *
 * <p>How: depth-first search; each transition is taken on a copy of the state that shares every
 * replica but the acting one, which it replaces. What a replica does is a function of its own state
 * and the message it takes, so each such outcome (the replica's new state and what it sends) is
 * computed once and looked up afterwards: the same replica state meets the same message in many
 * global states. Computing one copies the replica's {@link SyncState#copy() sync states} and forks
 * its document only when the message carries changes; documents with the same content are shared.
 * States are memoized on 128 bits of a SHA-256 of a canonical key: each replica's document heads
 * and queued changes, every observable field of every sync state, its local changes and duplicates
 * so far, what it waits for, and the messages in flight per link (as a multiset when they may
 * arrive in any order). The key uses the full sync state, not only {@link SyncState#encode()}
 * (which keeps just the shared heads), so two states merge only when every later step behaves the
 * same. A replica's part of the key is computed once per replica state, and a message's digest once
 * when it is sent. Terminal states compare on the key without the waiting.
 *
 * <p>Scopes too big for the tests run from {@link #main}: {@code java -cp ...
 * dev.converge.sim.ExhaustiveSync 3 2 1 mesh} (replicas, changes each, duplicates per replica,
 * {@code mesh} or {@code line}, optionally {@code edits} and {@code full} or {@code compare}).
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
   * @param depthMax a path of more deliveries and local changes than this counts as a livelock
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
   * @param depthReached the most deliveries and local changes on one path
   * @param failure the first failing path, empty if every terminal state converged
   * @param terminalKeys the state keys of the terminal states, hex, sorted
   */
  public record Report(
      long states,
      long terminalStates,
      long transitions,
      int depthReached,
      Optional<String> failure,
      SortedSet<String> terminalKeys) {
    public Report {
      terminalKeys = Collections.unmodifiableSortedSet(new TreeSet<>(terminalKeys));
    }

    public boolean passed() {
      return failure.isEmpty();
    }

    @Override
    public String toString() {
      return "Report[states="
          + states
          + ", terminalStates="
          + terminalStates
          + ", transitions="
          + transitions
          + ", depthReached="
          + depthReached
          + ", failure="
          + failure.orElse("none")
          + "]";
    }
  }

  private final Scope scope;
  private final boolean reduce;
  private final StateKeySet seen = new StateKeySet();
  private final Memo memo = new Memo();
  private long progressEvery;
  private long terminalStates;
  private long transitions;
  private int depthReached;
  private Optional<String> failure = Optional.empty();
  private final TreeSet<String> terminalKeys = new TreeSet<>();

  private ExhaustiveSync(Scope scope, boolean reduce) {
    this.scope = scope;
    this.reduce = reduce && !scope.reorder();
  }

  /** Explores every state of {@code scope} the reduced search needs; stops at the first failure. */
  public static Report explore(Scope scope) {
    return explore(scope, true);
  }

  /**
   * As {@link #explore(Scope)}; {@code reduce} false takes every interleaving instead, to check the
   * reduction against (feasible only for small scopes).
   */
  static Report explore(Scope scope, boolean reduce) {
    return new ExhaustiveSync(scope, reduce).run();
  }

  private Report run() {
    World initial;
    try {
      initial = World.initial(scope);
    } catch (ConvergeException e) {
      return new Report(
          0, 0, 0, 0, Optional.of("a replica rejected a first message: " + e), new TreeSet<>());
    }
    visit(initial, 0, new ArrayList<>());
    return new Report(
        seen.size(), terminalStates, transitions, depthReached, failure, terminalKeys);
  }

  /**
   * Runs one scope and prints its report and time: {@code replicas changes duplicates mesh|line
   * [edits] [full|compare]}. {@code full} takes every interleaving instead of the reduced search;
   * {@code compare} runs both and checks that they reach the same terminal states. Progress goes to
   * standard error every ten million states.
   */
  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println(
          "usage: ExhaustiveSync REPLICAS CHANGES DUPLICATES mesh|line [edits] [full|compare]");
      System.exit(2);
    }
    Set<String> flags = new HashSet<>(Arrays.asList(args).subList(4, args.length));
    Scope scope =
        new Scope(
            Integer.parseInt(args[0]),
            Integer.parseInt(args[1]),
            Integer.parseInt(args[2]),
            flags.contains("edits"),
            false,
            args[3].equals("line"),
            200);
    boolean passed = true;
    List<Report> reports = new ArrayList<>();
    for (boolean reduce : new boolean[] {false, true}) {
      if (reduce ? flags.contains("full") : !flags.contains("full") && !flags.contains("compare")) {
        continue;
      }
      long start = System.nanoTime();
      ExhaustiveSync search = new ExhaustiveSync(scope, reduce);
      search.progressEvery = 10_000_000;
      Report report = search.run();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println(
          scope
              + (reduce ? " reduced search: " : " full search: ")
              + report
              + String.format(Locale.ROOT, " in %.1f s", seconds));
      passed &= report.passed();
      reports.add(report);
    }
    if (reports.size() == 2) {
      boolean same = reports.get(0).terminalKeys().equals(reports.get(1).terminalKeys());
      System.out.println(
          same
              ? "both searches reached the same terminal states"
              : "the searches reached different terminal states");
      passed &= same;
    }
    System.exit(passed ? 0 : 1);
  }

  private void visit(World world, int depth, List<String> path) {
    if (failure.isPresent() || !seen.add(world.key(true))) {
      return;
    }
    if (progressEvery > 0 && seen.size() % progressEvery == 0) {
      System.err.printf(
          Locale.ROOT,
          "%,d states, %,d terminal, %,d replica outcomes remembered%n",
          seen.size(),
          terminalStates,
          memo.outcomes.size());
    }
    depthReached = Math.max(depthReached, depth);
    List<Step> steps = reduce ? world.reducedSteps() : world.allSteps();
    if (steps.isEmpty()) {
      // The reduced search reaches one terminal state once per way its replicas wait at the end.
      if (world.isTerminal() && terminalKeys.add(HexFormat.of().formatHex(world.key(false)))) {
        terminalStates++;
        world
            .checkConverged()
            .ifPresent(problem -> failure = Optional.of(problem + "; path " + path));
      }
      return;
    }
    if (depth >= scope.depthMax()) {
      failure = Optional.of("no end after " + depth + " steps (livelock); path " + path);
      return;
    }
    for (Step step : steps) {
      transitions++;
      path.add(step.toString());
      World next = world.copy();
      try {
        next.apply(step, memo);
        visit(next, step.kind() == Kind.WAIT ? depth : depth + 1, path);
      } catch (ConvergeException e) {
        failure = Optional.of("a replica rejected a message: " + e + "; path " + path);
      }
      path.remove(path.size() - 1);
      if (failure.isPresent()) {
        return;
      }
    }
  }

  private enum Kind {
    DELIVER(1),
    DUPLICATE(2),
    EDIT(3),
    WAIT(4);

    /** Its code in memo keys. */
    final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  /**
   * One transition of {@code replica}: a delivery or duplicate of the message at {@code index} on
   * the link from {@code from}, a local change, or waiting for the link from {@code from}.
   */
  private record Step(Kind kind, int replica, int from, int index) {
    @Override
    public String toString() {
      return switch (kind) {
        case DELIVER -> from + ">" + replica + (index == 0 ? "" : "#" + index);
        case DUPLICATE -> "dup " + from + ">" + replica + (index == 0 ? "" : "#" + index);
        case EDIT -> "edit " + replica;
        case WAIT -> replica + " waits for " + from;
      };
    }
  }

  /**
   * A message in flight, decoded once from its bytes as its receiver would, with the digest the
   * state key uses; never changed once sent.
   */
  private static final class Message {
    final SyncMessage decoded;
    final byte[] digest;

    Message(byte[] bytes) {
      this.decoded = SyncMessage.decode(bytes);
      this.digest = Sha256.of(bytes);
    }
  }

  /**
   * One replica's own state. A transition changes a {@link #copy()}; once a world holds a peer it
   * is never changed again, so worlds and {@link Outcome outcomes} share it.
   */
  private static final class Peer {
    /**
     * Shared with the replica's copies in other worlds until {@link #ownDocument()}: a document is
     * changed only by a local change or by a message that carries changes ({@link Sync#receive}
     * loads nothing else), and forking one for every transition cost more than all the rest.
     */
    private Document doc;

    private boolean docOwned;
    final SyncState[] states;
    int changesMade;
    int duplicatesReceived;
    private byte @org.jspecify.annotations.Nullable [] digest;

    Peer(Document doc, int replicas) {
      this.doc = doc;
      this.docOwned = true;
      this.states = new SyncState[replicas];
      for (int p = 0; p < replicas; p++) {
        states[p] = new SyncState();
      }
    }

    private Peer(Peer source) {
      doc = source.doc;
      states = new SyncState[source.states.length];
      for (int p = 0; p < states.length; p++) {
        states[p] = source.states[p].copy();
      }
      changesMade = source.changesMade;
      duplicatesReceived = source.duplicatesReceived;
    }

    Peer copy() {
      return new Peer(this);
    }

    Document doc() {
      return doc;
    }

    /**
     * Replaces this peer's document by the one {@code documents} holds for the same replica and
     * content, if any (else records it there); for peers that no world holds yet.
     */
    void internDocument(Map<ByteBuffer, Document> documents, int replica) {
      KeyWriter key = new KeyWriter();
      key.number(replica);
      key.hashes(doc.heads());
      List<ChangeHash> queued = new ArrayList<>();
      for (var change : doc.queuedChanges()) {
        queued.add(change.hash());
      }
      key.hashes(queued);
      Document mine = doc;
      doc = documents.computeIfAbsent(ByteBuffer.wrap(key.digest.digest()), unused -> mine);
      docOwned = false;
    }

    /** The document, forked first (with its actor and queued changes) if it is shared. */
    Document ownDocument() {
      if (!docOwned) {
        Document shared = doc;
        doc = shared.fork(shared.actor());
        doc.applyChanges(shared.queuedChanges());
        docOwned = true;
      }
      return doc;
    }

    /** A SHA-256 of everything of this replica that decides what it does next. */
    byte[] digest() {
      byte[] cached = digest;
      if (cached == null) {
        KeyWriter key = new KeyWriter();
        key.hashes(doc.heads());
        List<ChangeHash> queued = new ArrayList<>();
        for (var change : doc.queuedChanges()) {
          queued.add(change.hash());
        }
        key.hashes(queued);
        key.number(changesMade);
        key.number(duplicatesReceived);
        for (SyncState state : states) {
          key.hashes(state.sharedHeads());
          key.hashes(state.lastSentHeads());
          key.optionalHashes(state.theirHeads());
          key.optionalHashes(state.theirNeed());
          Optional<List<Have>> have = state.theirHave();
          key.number(have.map(List::size).orElse(-1));
          for (Have entry : have.orElse(List.of())) {
            key.hashes(entry.lastSync());
            byte[] bloom = entry.bloom().toBytes();
            key.number(bloom.length);
            key.digest.update(bloom);
          }
          key.hashes(new ArrayList<>(new TreeSet<>(state.sentHashes())));
          key.hashes(state.sentDocumentHeads());
          key.number(
              (state.inFlight() ? 1 : 0)
                  | (state.haveResponded() ? 2 : 0)
                  | (state.peerSupportsV2() ? 4 : 0)
                  | (state.peerSupportsSyncReset() ? 8 : 0)
                  | (state.isReadOnly() ? 16 : 0)
                  | (state.isPeerReadOnly() ? 32 : 0));
        }
        cached = key.digest.digest();
        digest = cached;
      }
      return cached;
    }
  }

  /** Feeds lengths, numbers and hashes into a SHA-256, each list prefixed by its length. */
  private static final class KeyWriter {
    final MessageDigest digest = Sha256.newDigest();
    private final byte[] hash = new byte[ChangeHash.LENGTH];

    void number(int value) {
      digest.update((byte) (value >>> 24));
      digest.update((byte) (value >>> 16));
      digest.update((byte) (value >>> 8));
      digest.update((byte) value);
    }

    void hashes(List<ChangeHash> hashes) {
      number(hashes.size());
      for (ChangeHash entry : hashes) {
        entry.copyTo(hash, 0);
        digest.update(hash);
      }
    }

    void optionalHashes(Optional<List<ChangeHash>> hashes) {
      if (hashes.isPresent()) {
        hashes(hashes.get());
      } else {
        number(-1);
      }
    }
  }

  /** What the search remembers besides the states it saw. */
  private static final class Memo {
    /** By replica, replica state digest, step and message: what the transition produced. */
    final Map<ByteBuffer, Outcome> outcomes = new HashMap<>();

    /**
     * By replica, heads and queued changes: one document for all the peers that hold that content,
     * since every fork allocates its own pages (64 KiB at least).
     */
    final Map<ByteBuffer, Document> documents = new HashMap<>();
  }

  /** What one replica's transition produced: its new state and, per receiver, what it sent. */
  private record Outcome(Peer peer, List<Optional<Message>> sent) {}

  /** One state: the replicas, what each waits for, and the messages in flight on each link. */
  private static final class World {
    private static final int NOT_WAITING = -1;

    private final Scope scope;
    private final int replicas;
    private final Peer[] peers;

    /** Per replica, the peer whose link it waits on, or {@link #NOT_WAITING}. */
    private final int[] waitingFor;

    /** Per link {@code from * replicas + to}, the messages in flight, oldest first. */
    private final List<List<Message>> links;

    private World(Scope scope) {
      this.scope = scope;
      replicas = scope.replicas();
      Document base = Document.create(ActorId.of(new byte[] {(byte) 0xb0}), () -> 0L);
      base.change(
          tx -> {
            tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
            tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(0));
          });
      peers = new Peer[replicas];
      for (int r = 0; r < replicas; r++) {
        peers[r] = new Peer(base.fork(ActorId.of(new byte[] {(byte) (0xa0 + r)})), replicas);
      }
      waitingFor = new int[replicas];
      Arrays.fill(waitingFor, NOT_WAITING);
      links = new ArrayList<>();
      for (int link = 0; link < replicas * replicas; link++) {
        links.add(List.of());
      }
    }

    private World(World source) {
      scope = source.scope;
      replicas = source.replicas;
      peers = source.peers.clone();
      waitingFor = source.waitingFor.clone();
      links = new ArrayList<>(source.links);
    }

    /** The state before any delivery: local changes made unless they interleave, first sends. */
    static World initial(Scope scope) {
      World world = new World(scope);
      for (int r = 0; r < world.replicas; r++) {
        Peer peer = world.peers[r];
        while (!scope.editsDuringSync() && peer.changesMade < scope.changesPerReplica()) {
          world.edit(peer, r);
        }
        world.post(r, world.announce(peer, r));
      }
      return world;
    }

    /**
     * A copy to take one transition on. It shares the replicas: a transition replaces the acting
     * one by a new {@link Peer}, and a peer is never changed once a world holds it.
     */
    World copy() {
      return new World(this);
    }

    private List<Message> link(int from, int to) {
      return links.get(from * replicas + to);
    }

    /** Every enabled transition of the real system (no waiting). */
    List<Step> allSteps() {
      List<Step> steps = new ArrayList<>();
      for (int r = 0; r < replicas; r++) {
        for (int p = 0; p < replicas; p++) {
          if (linked(p, r)) {
            addDeliveries(steps, p, r);
          }
        }
        addEdit(steps, r);
      }
      return steps;
    }

    /**
     * The transitions of one replica that can move in the extended system (see {@link
     * ExhaustiveSync}): the one with the fewest, counting a wait as ten, since a wait may lead
     * nowhere; none if every replica waits on an empty link or is idle.
     */
    List<Step> reducedSteps() {
      List<Step> best = List.of();
      for (int r = 0; r < replicas; r++) {
        List<Step> steps = new ArrayList<>();
        if (waitingFor[r] != NOT_WAITING) {
          addDeliveries(steps, waitingFor[r], r);
        } else {
          // A replica with nothing to take and nothing to edit is idle: it waits for nothing
          // yet, so that its choice is made when a message arrives. Otherwise every choice is
          // offered, waiting included, or the set would not be persistent (a message arriving
          // later would add a choice that conflicts with those taken now).
          boolean idle =
              peers[r].changesMade >= scope.changesPerReplica() || !scope.editsDuringSync();
          for (int p = 0; p < replicas; p++) {
            idle &= !linked(p, r) || link(p, r).isEmpty();
          }
          for (int p = 0; !idle && p < replicas; p++) {
            if (!linked(p, r)) {
              continue;
            }
            if (link(p, r).isEmpty()) {
              steps.add(new Step(Kind.WAIT, r, p, 0));
            } else {
              addDeliveries(steps, p, r);
            }
          }
          addEdit(steps, r);
        }
        if (!steps.isEmpty() && (best.isEmpty() || cost(steps) < cost(best))) {
          best = steps;
        }
      }
      return best;
    }

    private static int cost(List<Step> steps) {
      int cost = steps.size();
      for (Step step : steps) {
        if (step.kind() == Kind.WAIT) {
          cost += 10;
        }
      }
      return cost;
    }

    private void addDeliveries(List<Step> steps, int from, int to) {
      List<Message> messages = link(from, to);
      // Without reordering only the oldest message of a link may arrive; with it, identical
      // messages lead to identical states, so one of them is explored.
      int candidates = scope.reorder() ? messages.size() : Math.min(1, messages.size());
      Set<ByteBuffer> distinct = new HashSet<>();
      for (int i = 0; i < candidates; i++) {
        if (!distinct.add(ByteBuffer.wrap(messages.get(i).digest))) {
          continue;
        }
        steps.add(new Step(Kind.DELIVER, to, from, i));
        if (peers[to].duplicatesReceived < scope.duplicatesMax()) {
          steps.add(new Step(Kind.DUPLICATE, to, from, i));
        }
      }
    }

    private void addEdit(List<Step> steps, int replica) {
      if (scope.editsDuringSync() && peers[replica].changesMade < scope.changesPerReplica()) {
        steps.add(new Step(Kind.EDIT, replica, replica, 0));
      }
    }

    /**
     * Takes {@code step}. What a replica does depends only on its own state and the message it
     * receives, so the outcome (its new state and the messages it sends) is looked up in {@code
     * memo} by those, and computed and stored only the first time: the same replica state meets the
     * same message in many global states.
     */
    void apply(Step step, Memo memo) {
      int replica = step.replica();
      if (step.kind() == Kind.WAIT) {
        waitingFor[replica] = step.from();
        return;
      }
      waitingFor[replica] = NOT_WAITING;
      Optional<Message> message = Optional.empty();
      if (step.kind() != Kind.EDIT) {
        int link = step.from() * replicas + replica;
        message = Optional.of(links.get(link).get(step.index()));
        if (step.kind() == Kind.DELIVER) {
          List<Message> rest = new ArrayList<>(links.get(link));
          rest.remove(step.index());
          links.set(link, List.copyOf(rest));
        }
      }
      KeyWriter key = new KeyWriter();
      key.digest.update(peers[replica].digest());
      key.number(replica);
      key.number(step.kind().code);
      key.number(step.from());
      message.ifPresent(sent -> key.digest.update(sent.digest));
      ByteBuffer outcomeKey = ByteBuffer.wrap(key.digest.digest());
      Outcome outcome = memo.outcomes.get(outcomeKey);
      if (outcome == null) {
        outcome = act(replica, step, message);
        outcome.peer().internDocument(memo.documents, replica);
        memo.outcomes.put(outcomeKey, outcome);
      }
      peers[replica] = outcome.peer();
      post(replica, outcome.sent());
    }

    /** Takes a delivery, duplicate or local change on a copy of the replica's state. */
    private Outcome act(int replica, Step step, Optional<Message> received) {
      Peer peer = peers[replica].copy();
      if (received.isEmpty()) {
        edit(peer, replica);
        return new Outcome(peer, announce(peer, replica));
      }
      Message message = received.get();
      if (step.kind() == Kind.DUPLICATE) {
        peer.duplicatesReceived++;
      }
      boolean carriesChanges = message.decoded.changeEntryCount() > 0;
      Document doc = carriesChanges ? peer.ownDocument() : peer.doc();
      List<ChangeHash> before = doc.heads();
      int queuedBefore = doc.queuedChanges().size();
      Sync.receive(doc, peer.states[step.from()], message.decoded, SyncLimits.DEFAULT);
      if (!carriesChanges
          && (!doc.heads().equals(before) || doc.queuedChanges().size() != queuedBefore)) {
        throw new IllegalStateException("a message without changes changed a shared document");
      }
      if (doc.heads().equals(before)) {
        List<Optional<Message>> sent = new ArrayList<>();
        for (int p = 0; p < replicas; p++) {
          sent.add(p == step.from() ? generate(peer, p) : Optional.empty());
        }
        return new Outcome(peer, sent);
      }
      return new Outcome(peer, announce(peer, replica));
    }

    private void edit(Peer peer, int replica) {
      int k = peer.changesMade++;
      peer.ownDocument()
          .change(
              tx -> {
                ObjId text = ((Value.Obj) tx.get(ObjId.ROOT, "text").orElseThrow()).id();
                switch (k) {
                  case 0 -> tx.put(ObjId.ROOT, "k", ScalarValue.integer(replica));
                  case 1 -> tx.splice(text, 0, 0, replica == 0 ? "é" : "😀" + replica);
                  default -> tx.increment(ObjId.ROOT, "counter", replica + 1);
                }
              });
    }

    /** A message for every linked peer that the protocol has something to tell. */
    private List<Optional<Message>> announce(Peer peer, int replica) {
      List<Optional<Message>> sent = new ArrayList<>();
      for (int p = 0; p < replicas; p++) {
        sent.add(linked(replica, p) ? generate(peer, p) : Optional.empty());
      }
      return sent;
    }

    private static Optional<Message> generate(Peer peer, int to) {
      return Sync.generateMessage(peer.doc(), peer.states[to]).map(Message::new);
    }

    /** Appends what {@code from} sent (indexed by receiver) to its links. */
    private void post(int from, List<Optional<Message>> sent) {
      for (int to = 0; to < replicas; to++) {
        Optional<Message> message = sent.get(to);
        if (message.isPresent()) {
          int link = from * replicas + to;
          List<Message> messages = new ArrayList<>(links.get(link));
          messages.add(message.get());
          links.set(link, List.copyOf(messages));
        }
      }
    }

    boolean linked(int a, int b) {
      return a != b && (!scope.line() || Math.abs(a - b) == 1);
    }

    /** Whether the real system ends here: nothing in flight, every local change made. */
    boolean isTerminal() {
      for (List<Message> messages : links) {
        if (!messages.isEmpty()) {
          return false;
        }
      }
      for (Peer peer : peers) {
        if (peer.changesMade < scope.changesPerReplica()) {
          return false;
        }
      }
      return true;
    }

    Optional<String> checkConverged() {
      Document first = peers[0].doc;
      byte[] canonical = CanonicalSave.of(first);
      for (int r = 1; r < replicas; r++) {
        Document doc = peers[r].doc;
        if (!doc.heads().equals(first.heads())) {
          return Optional.of(
              "replicas 0 and "
                  + r
                  + " ended with different heads "
                  + first.heads()
                  + " and "
                  + doc.heads());
        }
        if (!doc.toJson().equals(first.toJson())) {
          return Optional.of("replicas 0 and " + r + " have the same heads but different values");
        }
        if (!Arrays.equals(CanonicalSave.of(doc), canonical)) {
          return Optional.of("replicas 0 and " + r + " have different canonical saves");
        }
      }
      for (Peer peer : peers) {
        if (!peer.doc.queuedChanges().isEmpty()) {
          return Optional.of("a replica still queues changes at the end");
        }
      }
      return Optional.empty();
    }

    /**
     * 16 bytes of a SHA-256 of everything that decides what happens next; {@code withWaiting} false
     * leaves out what each replica waits for, which the real system does not have (the terminal
     * states of both searches compare on that key).
     */
    byte[] key(boolean withWaiting) {
      MessageDigest key = Sha256.newDigest();
      for (int r = 0; r < replicas; r++) {
        key.update(peers[r].digest());
        key.update((byte) (withWaiting ? waitingFor[r] : NOT_WAITING));
      }
      for (int link = 0; link < links.size(); link++) {
        List<Message> messages = links.get(link);
        key.update((byte) link);
        key.update((byte) messages.size());
        if (scope.reorder()) {
          // Any message may arrive next: the link holds a multiset.
          List<ByteBuffer> digests = new ArrayList<>();
          for (Message message : messages) {
            digests.add(ByteBuffer.wrap(message.digest));
          }
          Collections.sort(digests);
          for (ByteBuffer digest : digests) {
            key.update(digest.duplicate());
          }
        } else {
          for (Message message : messages) {
            key.update(message.digest);
          }
        }
      }
      return Arrays.copyOf(key.digest(), 16);
    }
  }
}
