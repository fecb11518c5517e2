package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.LimitExceededException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.RelayMessage.Offer;
import dev.converge.repo.sealed.relay.Relay;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's limits: bytes per document, envelopes per message, both ways. */
class RelayLimitsTest {
  @Test
  void push_beyondTheDocumentBytesMax_refusedWithLimit() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT).withDocumentBytesMax(2_000);
        Device alice = new Device(31)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      assertTrue(alice.sync(id, relay).inSync());
      alice.put(id, "big", "x".repeat(4_000));
      SyncReport report = alice.sync(id, relay);
      assertFalse(report.inSync(), report.toString());
      assertTrue(
          report.rejected().stream()
              .anyMatch(e -> String.valueOf(e.getMessage()).contains("LIMIT")),
          report.rejected().toString());
    }
  }

  @Test
  void offer_moreEnvelopesThanAMessageHolds_cutWithMore() {
    SealedLimits limits = SealedLimits.DEFAULT.withEnvelopesPerMessageMax(2);
    try (Relay relay = Relay.inMemory(limits);
        Device alice = new Device(41)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      for (int i = 0; i < 5; i++) {
        alice.put(id, "k" + i, "v" + i);
        assertTrue(alice.sync(id, relay).inSync());
      }
      RelayMessage answer =
          relay.handle(
              new RelayMessage.Have(id, 0, ByteString.of(new byte[32]), VersionVector.EMPTY));
      Offer offer = (Offer) answer;
      assertEquals(2, offer.envelopes().size());
      assertTrue(offer.more());
    }
  }

  @Test
  void decode_moreEnvelopesThanTheLimit_limitExceeded() {
    DocumentId id = DocumentId.random(new java.util.SplittableRandom(5));
    List<ByteString> envelopes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      envelopes.add(ByteString.of(new byte[] {1}));
    }
    byte[] push = RelayMessageCodec.encode(new RelayMessage.Push(id, List.of(), envelopes));
    assertThrows(
        LimitExceededException.class,
        () -> RelayMessageCodec.decode(push, SealedLimits.DEFAULT.withEnvelopesPerMessageMax(2)));
  }
}
