package dev.converge.repo.sealed;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** Builds the signed operations of a member log, each on top of the log it is given. */
final class MemberOps {
  private MemberOps() {}

  /** The first operation of a new document: {@code creator} is its first device. */
  static MemberOp genesis(
      dev.converge.repo.DocumentId documentId,
      MemberKeyPair creator,
      byte[] epochKey,
      SecureRandom random) {
    KeyBoxes.Sealed sealed =
        KeyBoxes.seal(documentId, 1, epochKey, List.of(creator.publicKey()), random);
    MemberOp.Genesis body =
        new MemberOp.Genesis(
            creator.publicKey().boxKey(), sealed.ephemeral(), sealed.boxes().get(0));
    return MemberOp.sign(
        documentId, 0, ByteString.wrap(new byte[MemberOp.HASH_BYTES]), body, creator);
  }

  /** {@code signer} (a device) adds {@code member}, boxing it the current epoch key. */
  static MemberOp add(
      MemberLog log,
      MemberKeyPair signer,
      EntryKind kind,
      MemberKey member,
      byte[] epochKey,
      SecureRandom random) {
    KeyBoxes.Sealed sealed =
        KeyBoxes.seal(log.documentId(), log.epoch(), epochKey, List.of(member), random);
    MemberOp.Add body = new MemberOp.Add(kind, member, sealed.ephemeral(), sealed.boxes().get(0));
    return MemberOp.sign(log.documentId(), log.size(), log.headHash(), body, signer);
  }

  /** {@code invite} adds {@code device} (the joiner's own key), boxing it the current epoch key. */
  static MemberOp join(
      MemberLog log, MemberKeyPair invite, MemberKey device, byte[] epochKey, SecureRandom random) {
    KeyBoxes.Sealed sealed =
        KeyBoxes.seal(log.documentId(), log.epoch(), epochKey, List.of(device), random);
    MemberOp.Join body = new MemberOp.Join(device, sealed.ephemeral(), sealed.boxes().get(0));
    return MemberOp.sign(log.documentId(), log.size(), log.headHash(), body, invite);
  }

  /**
   * {@code signer} removes {@code removed} and starts the next epoch with {@code newKey}, boxed to
   * every remaining entry, wrapping {@code currentKey}.
   */
  static MemberOp remove(
      MemberLog log,
      MemberKeyPair signer,
      ByteString removed,
      long finalSeq,
      byte[] currentKey,
      byte[] newKey,
      SecureRandom random) {
    long next = log.epoch() + 1;
    List<MemberKey> remaining = new ArrayList<>();
    for (MemberLog.Entry entry : log.entries()) {
      if (!entry.key().signKey().equals(removed)) {
        remaining.add(entry.key());
      }
    }
    KeyBoxes.Sealed sealed = KeyBoxes.seal(log.documentId(), next, newKey, remaining, random);
    byte[] wrapped = KeyBoxes.wrap(log.documentId(), next, newKey, currentKey);
    MemberOp.Remove body =
        new MemberOp.Remove(
            removed, finalSeq, ByteString.wrap(wrapped), sealed.ephemeral(), sealed.boxes());
    return MemberOp.sign(log.documentId(), log.size(), log.headHash(), body, signer);
  }
}
