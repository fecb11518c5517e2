package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.relay.Relay;
import org.junit.jupiter.api.Test;

/**
 * A relay that lies once about a device's own sequence number in a version vector: the device must
 * not keep a counter the honest relay refuses forever as a gap.
 */
class LyingRelayTest {
  /** Answers through {@code relay}, but raises {@code signer}'s number in the first offer. */
  private static final class LiesOnce implements RelayChannel {
    private final RelayChannel honest;
    private final ByteString signer;
    private final long raiseBy;
    private boolean lied;

    LiesOnce(Relay relay, ByteString signer, long raiseBy) {
      this.honest = Device.channel(relay);
      this.signer = signer;
      this.raiseBy = raiseBy;
    }

    @Override
    public RelayMessage exchange(RelayMessage request) {
      RelayMessage answer = honest.exchange(request);
      if (!lied && answer instanceof Offer offer && offer.known()) {
        lied = true;
        return new Offer(
            offer.documentId(),
            offer.known(),
            offer.opsFrom(),
            offer.ops(),
            offer.vector().with(signer, offer.vector().seq(signer) + raiseBy),
            offer.envelopes(),
            offer.more());
      }
      return answer;
    }
  }

  @Test
  void ownSeqRaisedOnce_laterSyncs_inSyncAndShared() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(41);
        Device bob = new Device(42)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      assertTrue(alice.sync(id, relay).inSync());
      bob.sealed.join(link);
      assertTrue(bob.sync(id, relay).inSync());
      ByteString aliceKey = alice.sealed.deviceKey().signKey();
      alice.put(id, "during", "the lie");
      alice.sealed.sync(id, new LiesOnce(relay, aliceKey, 5));
      alice.put(id, "after", "the lie");
      SyncReport honest = alice.sync(id, relay);
      assertTrue(honest.inSync(), honest.toString());
      assertTrue(bob.sync(id, relay).inSync());
      assertEquals(alice.json(id), bob.json(id));
      assertTrue(bob.json(id).contains("\"after\":\"the lie\""), bob.json(id));
    }
  }

  @Test
  void ownSeqRaisedOnce_counterNeverBelowWhatTheRelayAccepted() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(43)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      assertTrue(alice.sync(id, relay).inSync());
      ByteString aliceKey = alice.sealed.deviceKey().signKey();
      for (int i = 0; i < 3; i++) {
        alice.put(id, "k" + i, "v" + i);
        assertTrue(alice.sync(id, relay).inSync());
      }
      long before = relayedSeq(relay, id, aliceKey);
      alice.put(id, "next", "edit");
      alice.sealed.sync(id, new LiesOnce(relay, aliceKey, 100));
      assertTrue(alice.sync(id, relay).inSync());
      long after = relayedSeq(relay, id, aliceKey);
      assertTrue(after > before && after < before + 100, before + " then " + after);
    }
  }

  private static long relayedSeq(Relay relay, DocumentId id, ByteString signer) {
    RelayMessage answer =
        Device.channel(relay)
            .exchange(
                new RelayMessage.Have(id, 0, ByteString.of(new byte[32]), VersionVector.EMPTY));
    return ((Offer) answer).vector().seq(signer);
  }
}
