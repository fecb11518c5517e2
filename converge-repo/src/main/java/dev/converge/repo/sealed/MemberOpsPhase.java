package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.RelayMessage.Pushed;
import dev.converge.repo.sealed.RelayMessage.Refusal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The member-log half of a sync: takes the relay's operations (checking that they extend what this
 * device confirmed, and every rule), and makes this device's next operation: its first ones for a
 * new document, its join through an invite, or the next membership change asked for, built on the
 * relay's latest log (so a change that lost a race is built again, with new boxes).
 */
final class MemberOpsPhase {
  private final SealedDocument document;
  private final SealedStore store;
  private final SealedLimits limits;
  private final SecureRandom random;
  private Optional<String> problem = Optional.empty();
  private Optional<MemberLogStore.Intent> inFlight = Optional.empty();
  private int sent;

  MemberOpsPhase(
      SealedDocument document, SealedStore store, SealedLimits limits, SecureRandom random) {
    this.document = document;
    this.store = store;
    this.limits = limits;
    this.random = random;
  }

  Optional<String> problem() {
    return problem;
  }

  int sent() {
    return sent;
  }

  /** Whether the document's genesis is this device's (it may be the first to tell the relay). */
  boolean createdHere() {
    return document.log.size() > 0
        && document.log.ops().get(0).signer().equals(document.device.publicKey().signKey());
  }

  /** Whether this device has operations or membership changes the relay has not accepted yet. */
  boolean pending() {
    return document.confirmed < document.log.size()
        || !store.memberLog().intents(document.id).isEmpty()
        || (document.invite.isPresent() && !document.isWriter());
  }

  /** Takes the offered operations; a reason to stop if the relay's log cannot be this one's. */
  Optional<String> absorb(Offer offer) {
    List<MemberOp> relayOps = new ArrayList<>();
    try {
      for (ByteString bytes : offer.ops()) {
        relayOps.add(MemberOp.decode(bytes.toArray(), limits));
      }
    } catch (ConvergeException e) {
      return Optional.of("the relay sent a malformed member operation: " + e.getMessage());
    }
    int from = offer.opsFrom();
    int relayEnd = from + relayOps.size();
    List<MemberOp> ours = document.log.ops();
    if (from > document.confirmed) {
      return Optional.of(
          "the relay skipped member operations " + document.confirmed + " to " + from);
    }
    for (int i = from; i < Math.min(document.confirmed, relayEnd); i++) {
      if (!relayOps.get(i - from).equals(ours.get(i))) {
        return Optional.of(
            "the relay's member log of "
                + document.id
                + " differs from this device's at operation "
                + i);
      }
    }
    if (relayEnd < document.confirmed) {
      // The relay lost operations it had accepted: this device has them signed, and sends them
      // again.
      document.confirmed = relayEnd;
      store.memberLog().replaceOps(document.id, ours.size(), List.of(), relayEnd);
      return Optional.empty();
    }
    List<MemberOp> fresh = relayOps.subList(document.confirmed - from, relayOps.size());
    if (fresh.isEmpty()) {
      return Optional.empty();
    }
    List<MemberOp> unconfirmed = ours.subList(document.confirmed, ours.size());
    for (int i = 0; i < unconfirmed.size(); i++) {
      if (i >= fresh.size() || !fresh.get(i).equals(unconfirmed.get(i))) {
        return Optional.of(
            "the relay holds another member log for " + document.id + " than the one made here");
      }
    }
    MemberLog extended = MemberLog.replay(document.id, ours.subList(0, document.confirmed), limits);
    try {
      for (MemberOp op : fresh) {
        extended.apply(op);
      }
    } catch (MemberOpRejectedException e) {
      return Optional.of("the relay's member log breaks its rules: " + e.getMessage());
    }
    int before = document.confirmed;
    store.memberLog().replaceOps(document.id, before, fresh, extended.size());
    document.log = extended;
    document.confirmed = extended.size();
    document.logChanged();
    return Optional.empty();
  }

  /** The operations to push now, if any: at most one change at a time, built on the latest log. */
  Optional<List<MemberOp>> next() {
    inFlight = Optional.empty();
    if (document.confirmed < document.log.size()) {
      return Optional.of(document.log.ops().subList(document.confirmed, document.log.size()));
    }
    if (document.invite.isPresent()) {
      if (document.isWriter()) {
        store.clearInvite(document.id);
        document.invite = Optional.empty();
      } else {
        return join();
      }
    }
    for (MemberLogStore.Intent intent : store.memberLog().intents(document.id)) {
      Optional<MemberOp> op = build(intent);
      if (problem.isPresent()) {
        return Optional.empty();
      }
      if (op.isPresent()) {
        inFlight = Optional.of(intent);
        return Optional.of(List.of(op.get()));
      }
      store.memberLog().removeIntent(intent.id());
    }
    return Optional.empty();
  }

  private Optional<List<MemberOp>> join() {
    Optional<MemberKeyPair> invite = document.inviteKeyPair();
    if (invite.isEmpty() || document.log.entry(invite.get().publicKey().signKey()).isEmpty()) {
      problem =
          Optional.of(
              "the share link's invite is not open in "
                  + document.id
                  + " (removed, or not this document's)");
      return Optional.empty();
    }
    Optional<byte[]> key = document.epochKey(document.log.epoch());
    if (key.isEmpty()) {
      problem =
          Optional.of("the share link's invite cannot open the current key of " + document.id);
      return Optional.empty();
    }
    MemberOp op =
        MemberOps.join(document.log, invite.get(), document.device.publicKey(), key.get(), random);
    return Optional.of(List.of(op));
  }

  /** The operation an intent asks for now, or empty when there is nothing (left) to do. */
  private Optional<MemberOp> build(MemberLogStore.Intent intent) {
    MemberLog log = document.log;
    if (!document.isWriter()) {
      problem =
          Optional.of(
              "this device is not a member of " + document.id + ": it cannot change the members");
      return Optional.empty();
    }
    Optional<byte[]> key = document.epochKey(log.epoch());
    if (key.isEmpty()) {
      problem = Optional.of("this device cannot open the current key of " + document.id);
      return Optional.empty();
    }
    if (intent.kind() == MemberLogStore.IntentKind.REMOVE) {
      ByteString removed = intent.member();
      if (log.entry(removed).isEmpty()) {
        return Optional.empty(); // gone already
      }
      byte[] next = new byte[Aead.KEY_BYTES];
      random.nextBytes(next);
      // The final number is the relay's: the removal is refused unless it matches.
      long finalSeq = document.vector().seq(removed);
      return Optional.of(
          MemberOps.remove(log, document.device, removed, finalSeq, key.get(), next, random));
    }
    MemberKey member =
        new MemberKey(
            ByteString.of(intent.member().toArray(), 0, 32),
            ByteString.of(intent.member().toArray(), 32, 32));
    if (log.entry(member.signKey()).isPresent() || log.former(member.signKey()).isPresent()) {
      return Optional.empty(); // added already, or removed for good
    }
    EntryKind kind =
        intent.kind() == MemberLogStore.IntentKind.ADD_INVITE ? EntryKind.INVITE : EntryKind.DEVICE;
    return Optional.of(MemberOps.add(log, document.device, kind, member, key.get(), random));
  }

  /** Takes the relay's answer to pushed {@code ops}. */
  void pushed(List<MemberOp> ops, Pushed answer, List<ConvergeException> rejected) {
    int accepted = Math.min(answer.opsAccepted(), ops.size());
    if (accepted > 0) {
      boolean local = document.confirmed < document.log.size();
      if (local) {
        document.confirmed += accepted;
        store
            .memberLog()
            .replaceOps(document.id, document.log.size(), List.of(), document.confirmed);
      } else {
        MemberLog extended = document.log.copy();
        List<MemberOp> taken = ops.subList(0, accepted);
        taken.forEach(extended::apply);
        store.memberLog().replaceOps(document.id, document.log.size(), taken, extended.size());
        document.log = extended;
        document.confirmed = extended.size();
        inFlight.ifPresent(intent -> store.memberLog().removeIntent(intent.id()));
      }
      document.logChanged();
      sent += accepted;
    }
    for (Refusal refusal : answer.refusals()) {
      if (refusal.envelope()) {
        continue;
      }
      if (refusal.reason() == RefusalReason.LOG_MOVED
          || refusal.reason() == RefusalReason.STALE_FINAL_SEQ) {
        continue; // built again on the relay's log next round
      }
      rejected.add(
          new ConvergeException(
              ConvergeException.Kind.INVALID_ARGUMENT,
              "the relay refused a member operation of "
                  + document.id
                  + " ("
                  + refusal.reason()
                  + "): "
                  + refusal.message()));
      inFlight.ifPresent(intent -> store.memberLog().removeIntent(intent.id()));
    }
  }
}
