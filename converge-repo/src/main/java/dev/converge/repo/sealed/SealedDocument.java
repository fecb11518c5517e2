package dev.converge.repo.sealed;

import dev.converge.core.ChangeHash;
import dev.converge.repo.DocumentId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device's state of one sealed document, loaded from its {@link SealedStore}: the member log (the
 * operations a relay confirmed, then for a new document its own first ones), the epoch keys this
 * device (and, until it joined, its invite) can read, the last envelope applied per signer, its own
 * sequence counter and what its envelopes already cover.
 *
 * <p>Not thread-safe: {@link SealedRepo} serializes the work on one document.
 */
final class SealedDocument {
  final DocumentId id;
  final MemberKeyPair device;
  MemberLog log;
  int confirmed;
  long ownSeq;
  List<ChangeHash> covered;
  Optional<ShareLink> invite;
  final Map<ByteString, SealedStore.Applied> applied = new HashMap<>();
  private final EpochKeys deviceKeys;
  private Optional<EpochKeys> inviteKeys = Optional.empty();

  private SealedDocument(DocumentId id, MemberKeyPair device, MemberLog log, EpochKeys deviceKeys) {
    this.id = id;
    this.device = device;
    this.log = log;
    this.covered = List.of();
    this.invite = Optional.empty();
    this.deviceKeys = deviceKeys;
  }

  /**
   * The document's state from {@code store}; its member log replayed through {@code verified},
   * which checks only the operations it has not seen before.
   */
  static SealedDocument load(
      SealedStore store,
      SealedStore.DocumentRow row,
      MemberKeyPair device,
      SealedLimits limits,
      VerifiedLogs verified) {
    MemberLogStore.StoredLog stored = store.memberLog().memberOps(row.id(), limits);
    VerifiedLogs.Replayed replayed = verified.replay(row.id(), stored.ops(), device, limits);
    SealedDocument document = new SealedDocument(row.id(), device, replayed.log(), replayed.keys());
    document.confirmed = stored.confirmed();
    document.ownSeq = row.ownSeq();
    document.covered = row.coveredHeads();
    document.invite = row.invite();
    for (SealedStore.Applied one : store.applied(row.id())) {
      document.applied.put(one.signer(), one);
    }
    document.logChanged();
    return document;
  }

  /** Call after the log grew: reads the new operations' key boxes. */
  void logChanged() {
    deviceKeys.update(log);
    if (invite.isPresent()) {
      Optional<MemberKeyPair> keys = inviteKeyPair();
      if (keys.isPresent() && inviteKeys.isEmpty()) {
        inviteKeys = Optional.of(new EpochKeys(id, keys.get()));
      }
      inviteKeys.ifPresent(found -> found.update(log));
    }
  }

  /**
   * The invite's full key pair: its private keys from the link, its signing key from the entry
   * whose box key the link's secret gives. Empty when no entry has that box key (the invite was
   * removed, or the link is for another document).
   */
  Optional<MemberKeyPair> inviteKeyPair() {
    if (invite.isEmpty()) {
      return Optional.empty();
    }
    ShareLink link = invite.get();
    ByteString boxKey = link.boxKey();
    for (MemberLog.Entry entry : log.entries()) {
      if (entry.kind() == EntryKind.INVITE && entry.key().boxKey().equals(boxKey)) {
        return Optional.of(
            MemberKeyPair.of(
                link.signSeed().toArray(), link.boxScalar().toArray(), entry.key().signKey()));
      }
    }
    for (MemberOp op : log.ops()) {
      // An invite removed since still opens the epochs it was boxed: find it among former ones.
      if (op.body() instanceof MemberOp.Add add
          && add.entryKind() == EntryKind.INVITE
          && add.member().boxKey().equals(boxKey)) {
        return Optional.of(
            MemberKeyPair.of(
                link.signSeed().toArray(), link.boxScalar().toArray(), add.member().signKey()));
      }
    }
    return Optional.empty();
  }

  /** The key of {@code epoch} if this device, or its invite, can read it. */
  Optional<byte[]> epochKey(long epoch) {
    Optional<byte[]> key = deviceKeys.key(epoch);
    if (key.isPresent()) {
      return key;
    }
    return inviteKeys.flatMap(keys -> keys.key(epoch));
  }

  /** Whether this device may seal now: a device entry of the current log. */
  boolean isWriter() {
    return log.entry(device.publicKey().signKey())
        .filter(e -> e.kind() == EntryKind.DEVICE)
        .isPresent();
  }

  /** The version vector of the envelopes this device holds: those applied, and its own. */
  VersionVector vector() {
    Map<ByteString, Long> seqs = new HashMap<>();
    applied.forEach((signer, one) -> seqs.put(signer, one.seq()));
    if (ownSeq > 0) {
      seqs.merge(device.publicKey().signKey(), ownSeq, Math::max);
    }
    return new VersionVector(seqs);
  }

  /** The hash of the last confirmed operation. */
  ByteString confirmedHead() {
    return confirmed == 0
        ? ByteString.wrap(new byte[MemberOp.HASH_BYTES])
        : log.ops().get(confirmed - 1).hash();
  }
}
