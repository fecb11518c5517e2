package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.MemberOpRejectedException.Reason;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The member log's rules, and the epoch keys each entry can recover from it.
 *
 * <p>How: a log is built operation by operation with {@link MemberOps}; each refused operation is
 * checked for its reason and for leaving the log as it was (its size and head hash).
 */
class MemberLogTest {
  private final SecureRandom random = Device.seeded(17);
  private final DocumentId doc = DocumentId.random(new java.util.SplittableRandom(9));
  private final MemberKeyPair alice = MemberKeyPair.generate(random);
  private final MemberKeyPair bob = MemberKeyPair.generate(random);
  private final MemberKeyPair carol = MemberKeyPair.generate(random);
  private final byte[] key1 = key(1);
  private final byte[] key2 = key(2);

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  private MemberLog started() {
    MemberLog log = MemberLog.empty(doc, SealedLimits.DEFAULT);
    log.apply(MemberOps.genesis(doc, alice, key1, random));
    return log;
  }

  private static void refused(MemberLog log, MemberOp op, Reason reason) {
    int size = log.size();
    ByteString head = log.headHash();
    MemberOpRejectedException e =
        assertThrows(MemberOpRejectedException.class, () -> log.apply(op));
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(size, log.size());
    assertEquals(head, log.headHash());
  }

  @Test
  void genesis_makesTheSignerTheFirstDeviceInEpochOne() {
    MemberLog log = started();
    assertEquals(1, log.epoch());
    assertEquals(1, log.entries().size());
    assertEquals(EntryKind.DEVICE, log.entry(alice.publicKey().signKey()).orElseThrow().kind());
  }

  @Test
  void add_bySomeoneNotADevice_notAllowed() {
    MemberLog log = started();
    refused(
        log,
        MemberOps.add(log, bob, EntryKind.DEVICE, carol.publicKey(), key1, random),
        Reason.NOT_ALLOWED);
  }

  @Test
  void add_twice_invalid() {
    MemberLog log = started();
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random));
    refused(
        log,
        MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random),
        Reason.INVALID);
  }

  @Test
  void op_onAnOldHead_logMoved() {
    MemberLog log = started();
    MemberOp stale = MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random);
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, carol.publicKey(), key1, random));
    refused(log, stale, Reason.LOG_MOVED);
  }

  @Test
  void op_withAFlippedByte_badSignatureOrMalformed() {
    MemberLog log = started();
    byte[] bytes =
        MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random).toBytes();
    bytes[bytes.length - 3] ^= 1;
    refused(log, MemberOp.decode(bytes, SealedLimits.DEFAULT), Reason.BAD_SIGNATURE);
  }

  @Test
  void join_byAnInvite_addsADevice_andByADevice_notAllowed() {
    MemberLog log = started();
    MemberKeyPair invite = MemberKeyPair.generate(random);
    log.apply(MemberOps.add(log, alice, EntryKind.INVITE, invite.publicKey(), key1, random));
    refused(log, MemberOps.join(log, alice, carol.publicKey(), key1, random), Reason.NOT_ALLOWED);
    log.apply(MemberOps.join(log, invite, bob.publicKey(), key1, random));
    assertEquals(EntryKind.DEVICE, log.entry(bob.publicKey().signKey()).orElseThrow().kind());
    assertTrue(log.entry(invite.publicKey().signKey()).isPresent(), "the invite stays open");
  }

  @Test
  void remove_startsAnEpoch_andTheRemovedKeepsOnlyOlderKeys() throws Exception {
    MemberLog log = started();
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random));
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, carol.publicKey(), key1, random));
    log.apply(MemberOps.remove(log, alice, bob.publicKey().signKey(), 4, key1, key2, random));
    assertEquals(2, log.epoch());
    assertFalse(log.entry(bob.publicKey().signKey()).isPresent());
    assertTrue(log.mayHaveWritten(bob.publicKey().signKey(), 1, 4));
    assertFalse(log.mayHaveWritten(bob.publicKey().signKey(), 1, 5));
    assertFalse(log.mayHaveWritten(bob.publicKey().signKey(), 2, 1));

    EpochKeys bobs = new EpochKeys(doc, bob);
    bobs.update(log);
    assertArrayEquals(key1, bobs.key(1).orElseThrow());
    assertTrue(bobs.key(2).isEmpty());
    EpochKeys carols = new EpochKeys(doc, carol);
    carols.update(log);
    assertArrayEquals(key2, carols.key(2).orElseThrow());
    assertArrayEquals(key1, carols.key(1).orElseThrow());
  }

  @Test
  void addedAfterARemoval_readsOlderEpochsThroughTheWrap() {
    MemberLog log = started();
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random));
    log.apply(MemberOps.remove(log, alice, bob.publicKey().signKey(), 0, key1, key2, random));
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, carol.publicKey(), key2, random));
    EpochKeys carols = new EpochKeys(doc, carol);
    carols.update(log);
    assertArrayEquals(key1, carols.key(1).orElseThrow());
    assertFalse(
        log.mayHaveWritten(carol.publicKey().signKey(), 1, 1),
        "a member added in epoch 2 never wrote in 1");
  }

  @Test
  void remove_theLastDevice_invalid_andRemovedKeyNeverAddedAgain() {
    MemberLog log = started();
    refused(
        log,
        MemberOps.remove(log, alice, alice.publicKey().signKey(), 0, key1, key2, random),
        Reason.INVALID);
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random));
    log.apply(MemberOps.remove(log, alice, bob.publicKey().signKey(), 0, key1, key2, random));
    refused(
        log,
        MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key2, random),
        Reason.INVALID);
  }

  @Test
  void replay_ofTheEncodedOps_givesTheSameLog() {
    MemberLog log = started();
    log.apply(MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random));
    log.apply(MemberOps.remove(log, alice, bob.publicKey().signKey(), 2, key1, key2, random));
    List<MemberOp> decoded =
        log.ops().stream().map(op -> MemberOp.decode(op.toBytes(), SealedLimits.DEFAULT)).toList();
    MemberLog again = MemberLog.replay(doc, decoded, SealedLimits.DEFAULT);
    assertEquals(log.headHash(), again.headHash());
    assertEquals(log.entries(), again.entries());
    assertEquals(log.epoch(), again.epoch());
  }

  @Test
  void add_aBoxKeyOfSmallOrder_invalid() {
    MemberLog log = started();
    MemberKey weak = new MemberKey(bob.publicKey().signKey(), ByteString.of(new byte[32]));
    MemberOp.Add body =
        new MemberOp.Add(
            EntryKind.DEVICE,
            weak,
            alice.publicKey().boxKey(),
            new KeyBox(weak.signKey(), ByteString.of(new byte[48])));
    refused(log, MemberOp.sign(doc, log.size(), log.headHash(), body, alice), Reason.INVALID);
  }
}
