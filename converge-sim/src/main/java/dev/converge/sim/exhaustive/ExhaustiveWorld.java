package dev.converge.sim.exhaustive;

import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncLimits;
import dev.converge.sim.CanonicalSave;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One state: the replicas, what each waits for, and the messages in flight on each link. */
final class ExhaustiveWorld {
  private static final int NOT_WAITING = -1;

  private final ExhaustiveSync.Scope scope;
  private final int replicas;
  private final ExhaustivePeer[] peers;

  /** Per replica, the peer whose link it waits on, or {@link #NOT_WAITING}. */
  private final int[] waitingFor;

  /** Per link {@code from * replicas + to}, the messages in flight, oldest first. */
  private final List<List<InFlightMessage>> links;

  private ExhaustiveWorld(ExhaustiveSync.Scope scope) {
    this.scope = scope;
    replicas = scope.replicas();
    Document base = Document.create(ActorId.of(new byte[] {(byte) 0xb0}), () -> 0L);
    base.change(
        tx -> {
          tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(0));
        });
    peers = new ExhaustivePeer[replicas];
    for (int r = 0; r < replicas; r++) {
      peers[r] =
          new ExhaustivePeer(base.fork(ActorId.of(new byte[] {(byte) (0xa0 + r)})), replicas);
    }
    waitingFor = new int[replicas];
    Arrays.fill(waitingFor, NOT_WAITING);
    links = new ArrayList<>();
    for (int link = 0; link < replicas * replicas; link++) {
      links.add(List.of());
    }
  }

  private ExhaustiveWorld(ExhaustiveWorld source) {
    scope = source.scope;
    replicas = source.replicas;
    peers = source.peers.clone();
    waitingFor = source.waitingFor.clone();
    links = new ArrayList<>(source.links);
  }

  /** The state before any delivery: local changes made unless they interleave, first sends. */
  static ExhaustiveWorld initial(ExhaustiveSync.Scope scope, ExhaustiveMemo memo) {
    ExhaustiveWorld world = new ExhaustiveWorld(scope);
    for (int r = 0; r < world.replicas; r++) {
      ExhaustivePeer peer = world.peers[r];
      while (!scope.editsDuringSync() && peer.changesMade < scope.changesPerReplica()) {
        world.edit(peer, r);
      }
      world.post(r, memo.intern(world.announce(peer, r)));
      world.peers[r] = memo.intern(peer, r);
    }
    return world;
  }

  /**
   * A copy to take one transition on. It shares the replicas: a transition replaces the acting one
   * by a new {@link ExhaustivePeer}, and a peer is never changed once a world holds it.
   */
  ExhaustiveWorld copy() {
    return new ExhaustiveWorld(this);
  }

  private List<InFlightMessage> link(int from, int to) {
    return links.get(from * replicas + to);
  }

  /** Every enabled transition of the real system (no waiting). */
  List<ExhaustiveStep> allSteps() {
    List<ExhaustiveStep> steps = new ArrayList<>();
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
  List<ExhaustiveStep> reducedSteps() {
    List<ExhaustiveStep> best = List.of();
    for (int r = 0; r < replicas; r++) {
      List<ExhaustiveStep> steps = new ArrayList<>();
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
            steps.add(new ExhaustiveStep(StepKind.WAIT, r, p, 0));
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

  private static int cost(List<ExhaustiveStep> steps) {
    int cost = steps.size();
    for (ExhaustiveStep step : steps) {
      if (step.kind() == StepKind.WAIT) {
        cost += 10;
      }
    }
    return cost;
  }

  private void addDeliveries(List<ExhaustiveStep> steps, int from, int to) {
    List<InFlightMessage> messages = link(from, to);
    // Without reordering only the oldest message of a link may arrive; with it, identical
    // messages lead to identical states, so one of them is explored.
    int candidates = scope.reorder() ? messages.size() : Math.min(1, messages.size());
    Set<Integer> distinct = scope.reorder() ? new HashSet<>() : Set.of();
    for (int i = 0; i < candidates; i++) {
      if (scope.reorder() && !distinct.add(messages.get(i).number)) {
        continue;
      }
      steps.add(new ExhaustiveStep(StepKind.DELIVER, to, from, i));
      if (scope.duplicates(from, to) && peers[to].duplicatesReceived < scope.duplicatesMaxOf(to)) {
        steps.add(new ExhaustiveStep(StepKind.DUPLICATE, to, from, i));
      }
    }
  }

  private void addEdit(List<ExhaustiveStep> steps, int replica) {
    if (scope.editsDuringSync() && peers[replica].changesMade < scope.changesPerReplica()) {
      steps.add(new ExhaustiveStep(StepKind.EDIT, replica, replica, 0));
    }
  }

  /**
   * Takes {@code step}. What a replica does depends only on its own state and the message it
   * receives, so the outcome (its new state and the messages it sends) is looked up in {@code memo}
   * by those, and computed and stored only the first time: the same replica state meets the same
   * message in many global states.
   */
  void apply(ExhaustiveStep step, ExhaustiveMemo memo) {
    int replica = step.replica();
    if (step.kind() == StepKind.WAIT) {
      waitingFor[replica] = step.from();
      return;
    }
    waitingFor[replica] = NOT_WAITING;
    Optional<InFlightMessage> message = Optional.empty();
    if (step.kind() != StepKind.EDIT) {
      int link = step.from() * replicas + replica;
      message = Optional.of(links.get(link).get(step.index()));
      if (step.kind() == StepKind.DELIVER) {
        List<InFlightMessage> rest = new ArrayList<>(links.get(link));
        rest.remove(step.index());
        links.set(link, List.copyOf(rest));
      }
    }
    long outcomeKey = ExhaustiveMemo.outcomeKey(peers[replica], step.kind(), step.from(), message);
    ExhaustiveOutcome outcome = memo.outcomes.get(outcomeKey);
    if (outcome == null) {
      ExhaustiveOutcome computed = act(replica, step, message);
      outcome =
          new ExhaustiveOutcome(
              memo.intern(computed.peer(), replica), memo.intern(computed.sent()));
      memo.outcomes.put(outcomeKey, outcome);
    }
    peers[replica] = outcome.peer();
    post(replica, outcome.sent());
  }

  /** Takes a delivery, duplicate or local change on a copy of the replica's state. */
  private ExhaustiveOutcome act(
      int replica, ExhaustiveStep step, Optional<InFlightMessage> received) {
    ExhaustivePeer peer = peers[replica].copy();
    if (received.isEmpty()) {
      edit(peer, replica);
      return new ExhaustiveOutcome(peer, announce(peer, replica));
    }
    InFlightMessage message = received.get();
    if (step.kind() == StepKind.DUPLICATE) {
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
      List<Optional<InFlightMessage>> sent = new ArrayList<>();
      for (int p = 0; p < replicas; p++) {
        sent.add(p == step.from() ? generate(peer, p) : Optional.empty());
      }
      return new ExhaustiveOutcome(peer, sent);
    }
    return new ExhaustiveOutcome(peer, announce(peer, replica));
  }

  private void edit(ExhaustivePeer peer, int replica) {
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
  private List<Optional<InFlightMessage>> announce(ExhaustivePeer peer, int replica) {
    List<Optional<InFlightMessage>> sent = new ArrayList<>();
    for (int p = 0; p < replicas; p++) {
      sent.add(linked(replica, p) ? generate(peer, p) : Optional.empty());
    }
    return sent;
  }

  private static Optional<InFlightMessage> generate(ExhaustivePeer peer, int to) {
    return Sync.generateMessage(peer.doc(), peer.states[to]).map(InFlightMessage::new);
  }

  /** Appends what {@code from} sent (indexed by receiver) to its links. */
  private void post(int from, List<Optional<InFlightMessage>> sent) {
    for (int to = 0; to < replicas; to++) {
      Optional<InFlightMessage> message = sent.get(to);
      if (message.isPresent()) {
        int link = from * replicas + to;
        List<InFlightMessage> messages = new ArrayList<>(links.get(link));
        messages.add(message.get());
        links.set(link, List.copyOf(messages));
      }
    }
  }

  boolean linked(int a, int b) {
    return scope.linked(a, b);
  }

  /** Whether the real system ends here: nothing in flight, every local change made. */
  boolean isTerminal() {
    for (List<InFlightMessage> messages : links) {
      if (!messages.isEmpty()) {
        return false;
      }
    }
    for (ExhaustivePeer peer : peers) {
      if (peer.changesMade < scope.changesPerReplica()) {
        return false;
      }
    }
    return true;
  }

  Optional<String> checkConverged() {
    Document first = peers[0].doc();
    byte[] canonical = CanonicalSave.of(first);
    for (int r = 1; r < replicas; r++) {
      Document doc = peers[r].doc();
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
    for (ExhaustivePeer peer : peers) {
      if (!peer.doc().queuedChanges().isEmpty()) {
        return Optional.of("a replica still queues changes at the end");
      }
    }
    return Optional.empty();
  }

  /**
   * 16 bytes of a SHA-256 of everything that decides what happens next except how many duplicates
   * each replica received ({@link #duplicatesReceived}), by the numbers the memo gave each replica
   * state and message.
   */
  byte[] key() {
    int messageCount = 0;
    for (List<InFlightMessage> messages : links) {
      messageCount += messages.size();
    }
    ByteBuffer key = ByteBuffer.allocate(5 * replicas + links.size() + 4 * messageCount);
    for (int r = 0; r < replicas; r++) {
      key.putInt(peers[r].contentNumber);
      key.put((byte) waitingFor[r]);
    }
    for (List<InFlightMessage> messages : links) {
      key.put((byte) messages.size());
      int[] numbers = new int[messages.size()];
      for (int i = 0; i < numbers.length; i++) {
        numbers[i] = messages.get(i).number;
      }
      if (scope.reorder()) {
        // Any message may arrive next: the link holds a multiset.
        Arrays.sort(numbers);
      }
      for (int number : numbers) {
        key.putInt(number);
      }
    }
    return Arrays.copyOf(Sha256.of(key.array()), 16);
  }

  /**
   * The key of a terminal state that both searches agree on (not made of the numbers, which each
   * search gives in its own order): the replicas' digests without their duplicates, since nothing
   * is in flight and nobody waits in the real system.
   */
  byte[] terminalKey() {
    if (!isTerminal()) {
      throw new IllegalStateException("only a terminal state has a terminal key");
    }
    MessageDigest key = Sha256.newDigest();
    for (ExhaustivePeer peer : peers) {
      key.update(peer.contentDigest());
    }
    return Arrays.copyOf(key.digest(), 16);
  }

  /** How many duplicates {@code replica} received on the path to this state. */
  int duplicatesReceived(int replica) {
    return peers[replica].duplicatesReceived;
  }
}
