package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.repo.DocumentId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cache of replayed member logs gives what a replay from scratch gives: for a log that grew,
 * for one that diverged from what was cached, and it refuses a bad operation past the cached
 * prefix.
 */
class VerifiedLogsTest {
  private final SecureRandom random = Device.seeded(23);
  private final DocumentId doc = DocumentId.random(new java.util.SplittableRandom(4));
  private final MemberKeyPair alice = MemberKeyPair.generate(random);
  private final MemberKeyPair bob = MemberKeyPair.generate(random);
  private final byte[] key1 = new byte[32];

  private List<MemberOp> genesisAndAddBob() {
    MemberLog log = MemberLog.empty(doc, SealedLimits.DEFAULT);
    List<MemberOp> ops = new ArrayList<>();
    ops.add(MemberOps.genesis(doc, alice, key1, random));
    log.apply(ops.get(0));
    ops.add(MemberOps.add(log, alice, EntryKind.DEVICE, bob.publicKey(), key1, random));
    return ops;
  }

  private static void assertSame(MemberLog expected, VerifiedLogs.Replayed actual, long epoch) {
    assertEquals(expected.size(), actual.log().size());
    assertEquals(expected.headHash(), actual.log().headHash());
    assertEquals(expected.entries(), actual.log().entries());
    assertEquals(expected.epoch(), actual.log().epoch());
    assertEquals(epoch, actual.keys().latest());
  }

  @Test
  void replay_grownLog_equalsAReplayFromScratch() {
    VerifiedLogs logs = new VerifiedLogs();
    List<MemberOp> ops = genesisAndAddBob();
    VerifiedLogs.Replayed first = logs.replay(doc, ops.subList(0, 1), bob, SealedLimits.DEFAULT);
    assertEquals(0, first.keys().latest()); // bob is not in the genesis
    VerifiedLogs.Replayed grown = logs.replay(doc, ops, bob, SealedLimits.DEFAULT);
    assertSame(MemberLog.replay(doc, ops, SealedLimits.DEFAULT), grown, 1);
    assertArrayEquals(key1, grown.keys().key(1).orElseThrow());
    // What a caller does to its copy does not reach the cache.
    byte[] key2 = new byte[32];
    key2[0] = 2;
    grown
        .log()
        .apply(
            MemberOps.remove(grown.log(), alice, bob.publicKey().signKey(), 0, key1, key2, random));
    assertSame(
        MemberLog.replay(doc, ops, SealedLimits.DEFAULT),
        logs.replay(doc, ops, bob, SealedLimits.DEFAULT),
        1);
  }

  @Test
  void replay_divergedLog_isReplayedFromTheStart() {
    VerifiedLogs logs = new VerifiedLogs();
    List<MemberOp> ops = genesisAndAddBob();
    logs.replay(doc, ops, alice, SealedLimits.DEFAULT);
    List<MemberOp> other = new ArrayList<>(ops.subList(0, 1));
    MemberLog log = MemberLog.replay(doc, other, SealedLimits.DEFAULT);
    MemberKeyPair carol = MemberKeyPair.generate(random);
    other.add(MemberOps.add(log, alice, EntryKind.INVITE, carol.publicKey(), key1, random));
    assertSame(
        MemberLog.replay(doc, other, SealedLimits.DEFAULT),
        logs.replay(doc, other, alice, SealedLimits.DEFAULT),
        1);
  }

  @Test
  void replay_badOperationPastTheCachedPrefix_isRefused() {
    VerifiedLogs logs = new VerifiedLogs();
    List<MemberOp> ops = genesisAndAddBob();
    logs.replay(doc, ops.subList(0, 1), alice, SealedLimits.DEFAULT);
    List<MemberOp> twice = List.of(ops.get(0), ops.get(1), ops.get(1));
    assertThrows(
        MemberOpRejectedException.class,
        () -> logs.replay(doc, twice, alice, SealedLimits.DEFAULT));
    assertSame(
        MemberLog.replay(doc, ops, SealedLimits.DEFAULT),
        logs.replay(doc, ops, alice, SealedLimits.DEFAULT),
        1);
  }
}
