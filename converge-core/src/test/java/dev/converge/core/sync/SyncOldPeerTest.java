package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sync with a peer that speaks only version 1 of the protocol (an Automerge before 2.2): its
 * messages carry no flags section, it ignores the flags trailer of ours (as Automerge writes it to
 * every peer), and it cannot load a whole-document chunk in a message. Such a peer must get only v1
 * messages holding change chunks, also where a v2 peer would be sent the whole document, and both
 * sides must converge.
 */
class SyncOldPeerTest {
  private static final int ROUNDS_MAX = 20;

  @Test
  void peerWithoutFlags_getsOnlyV1MessagesWithChangeChunks_andConverges() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(11), 10);
    Document b = a.fork(SyncDocs.actor(2));
    // More than a third of A's changes are new to B: a v2 peer would get the whole document.
    SyncDocs.edit(a, new Random(12), 30);
    SyncDocs.edit(b, new Random(13), 5);

    int messagesToOldPeer = exchange(a, new SyncState(), b, new SyncState());

    assertTrue(messagesToOldPeer > 0);
    assertEquals(a.heads(), b.heads());
    assertEquals(a.toJson(), b.toJson());
  }

  @Test
  void emptyOldPeer_catchesUpFromChangeChunks() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(21), 25);
    Document b = Document.create(SyncDocs.actor(3), () -> 0L);

    exchange(a, new SyncState(), b, new SyncState());

    assertEquals(a.heads(), b.heads());
    assertEquals(a.toJson(), b.toJson());
  }

  /**
   * Syncs A (current) with B (old): every message B sends is stripped to v1 without flags, as an
   * old peer writes it; every message A sends B is checked to be one an old peer can read.
   *
   * @return how many messages A sent B
   */
  private static int exchange(Document a, SyncState aState, Document b, SyncState bState) {
    int toOldPeer = 0;
    for (int round = 0; round < ROUNDS_MAX; round++) {
      Optional<SyncMessage> toB = Sync.generate(a, aState);
      if (toB.isPresent()) {
        toOldPeer++;
        SyncMessage message = toB.get();
        assertEquals(SyncMessage.Version.V1, message.version(), "message to a v1 peer");
        for (byte[] chunk : message.changes()) {
          assertEquals(
              1, chunk[8], "a v1 peer gets change chunks only, got chunk type " + chunk[8]);
        }
        // The old peer reads the message up to its changes and ignores the trailer.
        Sync.receiveMessage(b, bState, asOldPeerWrites(message).encode());
      }
      Optional<SyncMessage> toA = Sync.generate(b, bState).map(SyncOldPeerTest::asOldPeerWrites);
      if (toA.isPresent()) {
        Sync.receiveMessage(a, aState, toA.get().encode());
      }
      if (toB.isEmpty() && toA.isEmpty()) {
        return toOldPeer;
      }
    }
    throw new AssertionError("no convergence after " + ROUNDS_MAX + " rounds");
  }

  private static SyncMessage asOldPeerWrites(SyncMessage message) {
    return new SyncMessage(
        SyncMessage.Version.V1,
        message.heads(),
        message.need(),
        message.have(),
        message.changes(),
        SyncMessage.NO_FLAGS);
  }
}
