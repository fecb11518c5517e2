package dev.converge.repo.sealed;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.LoadOptions;
import dev.converge.repo.DocHandle;
import dev.converge.repo.sealed.RelayMessage.Have;
import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.RelayMessage.Push;
import dev.converge.repo.sealed.RelayMessage.Pushed;
import dev.converge.repo.sealed.RelayMessage.Refusal;
import dev.converge.repo.sealed.RelayMessage.RelayError;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One sync of one sealed document with a relay, in rounds (docs/sealed.md, "Relay protocol"): ask
 * with {@code have}, take the member operations and open the envelopes offered; push this device's
 * next member operation if it has one; seal what no envelope covers and push this device's
 * envelopes the relay lacks. It stops when the two sides agree, when a round makes no progress, or
 * after {@value #ROUNDS_MAX} rounds.
 *
 * <p>Not thread-safe: {@link SealedRepo} runs one at a time per document.
 */
final class SealedSync {
  static final int ROUNDS_MAX = 64;

  private enum Step {
    CONTINUE,
    DONE,
    STOP
  }

  private final SealedDocument document;
  private final DocHandle handle;
  private final SealedStore store;
  private final SealedLimits limits;
  private final SecureRandom random;
  private final RelayChannel relay;
  private final MemberOpsPhase opsPhase;
  private final PendingApplied pending;
  private final List<ConvergeException> rejected = new ArrayList<>();
  private VersionVector relayVector = VersionVector.EMPTY;
  private boolean relayKnows;
  private int opened;
  private int sent;
  private Optional<String> problem = Optional.empty();

  SealedSync(
      SealedDocument document,
      DocHandle handle,
      SealedStore store,
      SealedLimits limits,
      SecureRandom random,
      RelayChannel relay,
      PendingApplied pending) {
    this.document = document;
    this.handle = handle;
    this.store = store;
    this.limits = limits;
    this.random = random;
    this.relay = relay;
    this.pending = pending;
    this.opsPhase = new MemberOpsPhase(document, store, limits, random);
  }

  SyncReport run() {
    for (int round = 0; round < ROUNDS_MAX; round++) {
      Step step = round();
      if (step == Step.DONE) {
        return report(true);
      }
      if (step == Step.STOP) {
        return report(false);
      }
    }
    if (problem.isEmpty()) {
      problem =
          Optional.of("the relay and this device did not agree after " + ROUNDS_MAX + " rounds");
    }
    return report(false);
  }

  private SyncReport report(boolean inSync) {
    return new SyncReport(
        document.id,
        inSync,
        opened,
        sent,
        opsPhase.sent(),
        rejected,
        inSync ? Optional.empty() : Optional.of(problem.orElse(describePending())));
  }

  private Step round() {
    pending.recordDurable();
    Offer offer =
        ask(
            new Have(document.id, document.confirmed, document.confirmedHead(), document.vector()),
            Offer.class);
    boolean progress = false;
    if (!offer.known()) {
      if (document.confirmed > 0 || !opsPhase.createdHere()) {
        return stop(
            "the relay has no document " + document.id + " (nobody has synced it there yet)");
      }
      relayKnows = false;
    } else {
      relayKnows = true;
      Optional<String> refused = opsPhase.absorb(offer);
      if (refused.isPresent()) {
        return stop(refused.get());
      }
      relayVector = offer.vector();
      progress |= openEnvelopes(offer.envelopes());
      skipPastRelay();
      if (offer.more()) {
        return progress ? Step.CONTINUE : stop(describePending());
      }
    }
    Optional<List<MemberOp>> ops = opsPhase.next();
    if (opsPhase.problem().isPresent()) {
      return stop(opsPhase.problem().get());
    }
    if (ops.isPresent()) {
      Pushed pushed = ask(new Push(document.id, bytesOf(ops.get()), List.of()), Pushed.class);
      relayKnows |= pushed.opsAccepted() > 0;
      relayVector = pushed.vector();
      opsPhase.pushed(ops.get(), pushed, rejected);
      return Step.CONTINUE;
    }
    if (document.isWriter() && relayKnows) {
      if (!handle.heads().equals(document.covered)) {
        // Sealing records a coverage past what is applied: the records of applied ones go first.
        // (Comparing heads is cheap; changes to seal are listed only by sealPending.)
        pending.awaitAll(document.id);
      }
      Sealer.sealPending(document, handle, store, limits, random);
      List<SealedStore.OwnEnvelope> unsent =
          store.ownEnvelopes(
              document.id, relayVector.seq(document.device.publicKey().signKey()), limits);
      if (!unsent.isEmpty()) {
        pushEnvelopes(unsent);
        return Step.CONTINUE;
      }
    }
    if (inSync()) {
      return Step.DONE;
    }
    return progress ? Step.CONTINUE : stop(describePending());
  }

  private Step stop(String why) {
    problem = Optional.of(why);
    return Step.STOP;
  }

  private <T extends RelayMessage> T ask(RelayMessage request, Class<T> expected) {
    RelayMessage answer = relay.exchange(request);
    if (answer instanceof RelayError error) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "the relay refused a request about " + document.id + ": " + error.message());
    }
    if (!expected.isInstance(answer) || !answer.documentId().equals(document.id)) {
      throw new dev.converge.core.CorruptDataException(
          "the relay answered a request about "
              + document.id
              + " with "
              + answer.getClass().getSimpleName()
              + " about "
              + answer.documentId());
    }
    return expected.cast(answer);
  }

  private static List<ByteString> bytesOf(List<MemberOp> ops) {
    List<ByteString> bytes = new ArrayList<>();
    for (MemberOp op : ops) {
      bytes.add(ByteString.wrap(op.toBytes()));
    }
    return bytes;
  }

  /** Opens and applies what the relay offered; true if any envelope was recorded as applied. */
  private boolean openEnvelopes(List<ByteString> offered) {
    if (offered.isEmpty()) {
      return false;
    }
    EnvelopeOpener.Result result = EnvelopeOpener.open(document, offered, limits);
    rejected.addAll(result.rejected());
    List<Change> added = new ArrayList<>();
    List<SealedStore.Applied> done = new ArrayList<>();
    List<SealedStore.Applied> waiting = new ArrayList<>();
    LoadOptions load = LoadOptions.DEFAULT;
    for (EnvelopeOpener.Opened one : result.opened()) {
      Envelope envelope = one.envelope();
      try {
        added.addAll(handle.applyChunks(one.chunks(), load));
      } catch (ConvergeException e) {
        // Signed by a member and decrypted, yet not valid changes: fetching it again cannot help,
        // so it is passed over (recorded) with nothing of it applied.
        rejected.add(
            new EnvelopeRejectedException(
                EnvelopeRejectedException.Reason.CORRUPT_CONTENT,
                "envelope " + envelope.envelopeId().toHex() + ": " + e.getMessage(),
                e));
      }
      waiting.add(
          new SealedStore.Applied(
              envelope.signer(), envelope.seq(), envelope.epoch(), envelope.envelopeId()));
      if (!handle.hasWaitingChanges()) {
        done.addAll(waiting);
        waiting.clear();
      }
    }
    document.covered = Sealer.extend(document.covered, added);
    // Recorded once the changes are durable (PendingApplied); the sync goes on meanwhile.
    pending.add(document.id, handle.whenDurable(), done, document.covered);
    for (SealedStore.Applied one : done) {
      document.applied.put(one.signer(), one);
    }
    opened += done.size();
    return !done.isEmpty();
  }

  /**
   * The relay holds more of this device's envelopes than its counter says: the device's store was
   * rolled back (a backup restored, a copy written from two places). Continue after the relay's
   * numbers, and seal everything again, rather than hand out a number twice. A relay that lied
   * about those numbers then refuses the next envelope as a gap, and {@link #closeGap} undoes the
   * skip.
   */
  private void skipPastRelay() {
    long relaySeq = relayVector.seq(document.device.publicKey().signKey());
    if (relaySeq > document.ownSeq) {
      store.skipTo(document.id, relaySeq);
      document.ownSeq = relaySeq;
      document.covered = List.of();
    }
  }

  private void pushEnvelopes(List<SealedStore.OwnEnvelope> unsent) {
    List<ByteString> batch = new ArrayList<>();
    List<SealedStore.OwnEnvelope> inBatch = new ArrayList<>();
    long bytes = 0;
    for (SealedStore.OwnEnvelope own : unsent) {
      if (batch.size() == limits.envelopesPerMessageMax()
          || (!batch.isEmpty() && bytes + own.envelope().size() > limits.messageBytesMax() / 2)) {
        break;
      }
      batch.add(ByteString.wrap(own.envelope().toBytes()));
      inBatch.add(own);
      bytes += own.envelope().size();
    }
    Pushed pushed = ask(new Push(document.id, List.of(), batch), Pushed.class);
    relayVector = pushed.vector();
    int firstRefused = batch.size();
    RefusalReason firstReason = RefusalReason.MALFORMED;
    for (Refusal refusal : pushed.refusals()) {
      if (refusal.envelope() && refusal.index() < batch.size()) {
        if (refusal.index() < firstRefused) {
          firstRefused = refusal.index();
          firstReason = refusal.reason();
        }
        rejected.add(
            new ConvergeException(
                ConvergeException.Kind.INVALID_ARGUMENT,
                "the relay refused envelope "
                    + inBatch.get(refusal.index()).seq()
                    + " of this device ("
                    + refusal.reason()
                    + "): "
                    + refusal.message()));
      }
    }
    sent += firstRefused;
    if (firstRefused < batch.size()) {
      if (firstReason == RefusalReason.GAP) {
        closeGap();
        return;
      }
      SealedStore.OwnEnvelope first = inBatch.get(firstRefused);
      drop(first, first.seq() - 1);
    }
  }

  private void drop(SealedStore.OwnEnvelope first, long counter) {
    store.dropOwnEnvelopes(document.id, first.seq(), counter, first.coveredBefore());
    document.ownSeq = counter;
    document.covered = first.coveredBefore();
  }

  /**
   * After a gap refusal (an envelope of ours is not the relay's next number for us): if this device
   * holds the relay's next number, the next round pushes from there. Otherwise its counter went up
   * with nothing sealed, past a relay that claimed higher numbers of ours than it holds (a lie, or
   * a relay that lost them): the numbers between the relay's and this device's first envelope above
   * it were never sealed with here, so the counter goes back to the relay's number and what those
   * envelopes covered is sealed again. Never below an envelope this device holds: those numbers it
   * used.
   */
  private void closeGap() {
    long relaySeq = relayVector.seq(ownKey());
    List<SealedStore.OwnEnvelope> held = store.ownEnvelopes(document.id, relaySeq, limits);
    if (!held.isEmpty() && held.get(0).seq() > relaySeq + 1) {
      drop(held.get(0), relaySeq);
    }
  }

  private ByteString ownKey() {
    return document.device.publicKey().signKey();
  }

  private boolean inSync() {
    if (!relayKnows || opsPhase.pending()) {
      return false;
    }
    VersionVector ours = document.vector();
    for (var entry : relayVector.seqs().entrySet()) {
      if (ours.seq(entry.getKey()) != entry.getValue()) {
        return false;
      }
    }
    if (relayVector.seq(document.device.publicKey().signKey()) != document.ownSeq) {
      return false;
    }
    return handle.changesSince(document.covered).isEmpty();
  }

  private String describePending() {
    if (!rejected.isEmpty()) {
      ConvergeException last = rejected.get(rejected.size() - 1);
      return rejected.size() + " refused, the last: " + last.getMessage();
    }
    if (!document.isWriter() && !handle.changesSince(document.covered).isEmpty()) {
      return "this device is not a member of " + document.id + ": its changes are not shared";
    }
    if (opsPhase.pending()) {
      return "membership changes of " + document.id + " are still to be accepted by the relay";
    }
    return "the relay and this device hold different envelopes of " + document.id;
  }
}
