package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.EnvelopeRejectedException.Reason;
import dev.converge.repo.sealed.relay.Relay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 17, item 5: a relay that tampers with, truncates, replays, reorders or forges envelopes
 * gets each refused with a typed reason, nothing of it applied, and the rest of the sync going on.
 *
 * <p>How: alice writes three envelopes (seq 1 the document, seq 2 key "a", seq 3 key "b"); bob
 * joins through an honest relay that offers only seq 1, then syncs through a {@link HostileRelay}
 * that rewrites seqs 2 and 3 as the row says. The test compares bob's saved document before and
 * after (byte for byte), his rejections' reasons, and finally syncs him honestly: he converges.
 */
class SealedBadInputTest {
  record Row(String name, UnaryOperator<List<ByteString>> rewrite, Reason reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static byte[] flip(byte[] bytes, int offset) {
    byte[] copy = bytes.clone();
    copy[offset] ^= 0x40;
    return copy;
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "truncated",
            HostileRelay.after(1, bytes -> Arrays.copyOf(bytes, bytes.length - 10)),
            Reason.MALFORMED),
        new Row(
            "ciphertext byte flipped",
            HostileRelay.after(1, bytes -> flip(bytes, Envelope.HEADER_BYTES + 3)),
            Reason.MALFORMED),
        new Row(
            "epoch changed",
            HostileRelay.after(1, bytes -> flip(bytes, Envelope.EPOCH_OFFSET + 3)),
            Reason.MALFORMED),
        new Row(
            "signature forged",
            HostileRelay.after(1, bytes -> flip(bytes, bytes.length - 5)),
            Reason.FORGED_SIGNATURE),
        new Row(
            "replayed",
            list -> {
              return HostileRelay.upTo(1).apply(list);
            },
            Reason.REPLAYED),
        new Row(
            "reordered",
            list -> {
              List<ByteString> later = new ArrayList<>(HostileRelay.after(1, b -> b).apply(list));
              java.util.Collections.reverse(later);
              return List.of(later.get(0));
            },
            Reason.OUT_OF_ORDER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void hostileRelay_badEnvelope_refusedAndNothingApplied(Row row) {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(21);
        Device bob = new Device(22)) {
      ShareLink link = threeEnvelopes(alice, relay);
      DocumentId id = link.documentId();
      bob.sealed.join(link);
      bob.sealed.sync(id, new HostileRelay(relay, HostileRelay.upTo(1)));
      assertEquals("{\"title\":\"plans\"}", bob.json(id));
      byte[] before = bob.repo.find(id).orElseThrow().save();
      VersionVector vectorBefore = bob.sealed.document(id).vector();

      SyncReport hostile = bob.sealed.sync(id, new HostileRelay(relay, row.rewrite()));

      assertFalse(hostile.inSync());
      assertTrue(
          hostile.rejected().stream()
              .anyMatch(
                  e -> e instanceof EnvelopeRejectedException r && r.reason() == row.reason()),
          row.name() + ": " + hostile.rejected());
      assertArrayEquals(before, bob.repo.find(id).orElseThrow().save(), row.name());
      assertEquals(vectorBefore, bob.sealed.document(id).vector(), row.name());

      SyncReport honest = bob.sync(id, relay);
      assertTrue(honest.inSync(), honest.toString());
      assertEquals(alice.json(id), bob.json(id));
    }
  }

  /** Alice's document with envelopes 1 (the document), 2 (key a) and 3 (key b) at the relay. */
  private static ShareLink threeEnvelopes(Device alice, Relay relay) {
    ShareLink link = alice.create("title", "plans");
    DocumentId id = link.documentId();
    assertTrue(alice.sync(id, relay).inSync());
    alice.put(id, "a", "second");
    assertTrue(alice.sync(id, relay).inSync());
    alice.put(id, "b", "third");
    assertTrue(alice.sync(id, relay).inSync());
    return link;
  }

  @Test
  void wrongKey_signedByMember_refusedAsTampered() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(31);
        Device bob = new Device(32)) {
      ShareLink link = threeEnvelopes(alice, relay);
      DocumentId id = link.documentId();
      bob.sealed.join(link);
      bob.sealed.sync(id, new HostileRelay(relay, HostileRelay.upTo(1)));
      MemberKeyPair aliceKeys = alice.sealed.deviceKeyPair();
      byte[] wrongKey = new byte[32];
      Envelope forged =
          EnvelopeSeal.seal(id, 1, wrongKey, aliceKeys, 2, new byte[] {1, 2, 3}, Device.seeded(5));
      SyncReport report =
          bob.sealed.sync(
              id, new HostileRelay(relay, list -> List.of(ByteString.wrap(forged.toBytes()))));
      assertTrue(
          report.rejected().stream()
              .anyMatch(
                  e -> e instanceof EnvelopeRejectedException r && r.reason() == Reason.TAMPERED),
          report.rejected().toString());
      assertEquals("{\"title\":\"plans\"}", bob.json(id));
    }
  }

  @Test
  void removedMember_oldEpochEnvelope_refusedByRelayAndReader() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(41);
        Device bob = new Device(42)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      alice.sync(id, relay);
      bob.sealed.join(link);
      assertTrue(bob.sync(id, relay).inSync());
      bob.put(id, "by", "bob");
      assertTrue(bob.sync(id, relay).inSync());
      assertTrue(alice.sync(id, relay).inSync());
      alice.sealed.removeMember(id, bob.sealed.deviceKey());
      assertTrue(alice.sync(id, relay).inSync());

      // Bob, removed, still holds epoch 1's key and seals under it with his next number.
      SealedDocument bobs = bob.sealed.document(id);
      byte[] epochOne = bobs.epochKey(1).orElseThrow();
      byte[] change =
          bob.repo
              .find(id)
              .orElseThrow()
              .change(tx -> tx.put(dev.converge.core.ObjId.ROOT, "late", "x"))
              .orElseThrow()
              .toBytes();
      Envelope late =
          EnvelopeSeal.seal(
              id,
              1,
              epochOne,
              bob.sealed.deviceKeyPair(),
              bobs.ownSeq + 1,
              change,
              Device.seeded(6));
      RelayMessage.Pushed pushed =
          (RelayMessage.Pushed)
              relay.handle(
                  new RelayMessage.Push(id, List.of(), List.of(ByteString.wrap(late.toBytes()))));
      assertEquals(RefusalReason.NOT_A_MEMBER, pushed.refusals().get(0).reason());

      byte[] before = alice.repo.find(id).orElseThrow().save();
      SyncReport report =
          alice.sealed.sync(
              id, new HostileRelay(relay, list -> List.of(ByteString.wrap(late.toBytes()))));
      assertTrue(
          report.rejected().stream()
              .anyMatch(
                  e ->
                      e instanceof EnvelopeRejectedException r
                          && r.reason() == Reason.NOT_A_MEMBER),
          report.rejected().toString());
      assertArrayEquals(before, alice.repo.find(id).orElseThrow().save());
    }
  }
}
