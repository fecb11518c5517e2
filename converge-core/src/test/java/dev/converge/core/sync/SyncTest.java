package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The protocol between two Converge replicas, step by step: message shapes of the first contact
 * (automerge-compat §3.6), convergence from divergent histories, the already-in-sync case, the
 * whole-document rule, read-only peers, the reset message, and the persisted state.
 *
 * <p>How: {@link SyncDocs#sync} alternates messages through a lossless pipe until both sides return
 * empty; each test then checks heads and values, and some the decoded messages.
 */
class SyncTest {
  @Test
  void firstContact_emptyPeer_messageShapesAsAutomerge() {
    Document a = SyncDocs.base();
    ObjId text = SyncDocs.obj(a, "text");
    a.change(tx -> tx.splice(text, 0, 0, "hi"));
    a.change(tx -> tx.splice(text, 2, 0, "!"));
    ChangeHash head = a.heads().get(0);
    Document b = Document.create(SyncDocs.actor(9), () -> 0L);
    SyncState aState = new SyncState();
    SyncState bState = new SyncState();

    SyncMessage first = SyncMessage.decode(Sync.generateMessage(a, aState).orElseThrow());
    assertEquals(SyncMessage.Version.V1, first.version());
    assertEquals(List.of(head), first.heads());
    assertEquals(List.of(), first.need());
    assertEquals(1, first.have().size());
    assertEquals(List.of(), first.have().get(0).lastSync());
    assertEquals(3, first.have().get(0).bloom().entryCount());
    assertEquals(0, first.changeEntryCount());
    assertEquals(SyncMessage.FLAG_SUPPORTS_SYNC_RESET, first.flags());
    byte[] firstBytes = first.encode();
    assertArrayEquals(
        new byte[] {0x02, 0x02, (byte) 0x84},
        java.util.Arrays.copyOfRange(firstBytes, firstBytes.length - 3, firstBytes.length));
    Sync.receiveMessage(b, bState, firstBytes);

    SyncMessage second = SyncMessage.decode(Sync.generateMessage(b, bState).orElseThrow());
    assertEquals(SyncMessage.Version.V2, second.version());
    assertEquals(List.of(), second.heads());
    assertEquals(List.of(head), second.need());
    assertEquals(List.of(Have.EVERYTHING), second.have());
    Sync.receiveMessage(a, aState, second.encode());

    SyncMessage third = SyncMessage.decode(Sync.generateMessage(a, aState).orElseThrow());
    assertEquals(SyncMessage.Version.V2, third.version());
    assertEquals(List.of(head), third.heads());
    assertEquals(1, third.changeEntryCount());
    assertEquals(0x00, third.changes().get(0)[8], "a whole document chunk (type 0)");
    assertEquals(List.of(), third.have(), "b has nothing, so has no use for a's filter");
    assertEquals(List.of(head), aState.sentDocumentHeads());
    assertEquals(0, aState.sentHashes().size(), "the document counts as sent, not each change");
    Sync.receiveMessage(b, bState, third.encode());
    assertEquals(a.heads(), b.heads());
    assertEquals("hi!", b.text(SyncDocs.obj(b, "text")));

    SyncMessage fourth = SyncMessage.decode(Sync.generateMessage(b, bState).orElseThrow());
    assertEquals(SyncMessage.Version.V2, fourth.version());
    assertEquals(List.of(head), fourth.heads());
    assertEquals(List.of(new Have(List.of(head), BloomFilter.empty())), fourth.have());
    Sync.receiveMessage(a, aState, fourth.encode());

    assertTrue(Sync.generateMessage(a, aState).isEmpty());
    assertTrue(Sync.generateMessage(b, bState).isEmpty());
    assertEquals(List.of(head), aState.sharedHeads());
    assertEquals(List.of(head), bState.sharedHeads());
  }

  @Test
  void sync_divergentHistories_converge() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(1), 40);
    Document b = a.fork(SyncDocs.actor(2));
    SyncDocs.edit(a, new Random(2), 300);
    SyncDocs.edit(b, new Random(3), 200);
    SyncDocs.Exchange exchange = SyncDocs.sync(a, new SyncState(), b, new SyncState(), 20);
    assertEquals(a.heads(), b.heads());
    assertEquals(a.toJson(), b.toJson());
    assertTrue(exchange.rounds() <= 4, "rounds " + exchange.rounds());
  }

  @Test
  void sync_alreadyInSync_oneRound() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(4), 30);
    Document b = a.fork(SyncDocs.actor(2));
    SyncDocs.Exchange exchange = SyncDocs.sync(a, new SyncState(), b, new SyncState(), 5);
    assertEquals(1, exchange.rounds());
    assertEquals(2, exchange.messages());
  }

  @Test
  void sync_persistedState_nextSessionSendsOnlyNewChanges() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(5), 50);
    Document b = Document.create(SyncDocs.actor(2), () -> 0L);
    SyncState aState = new SyncState();
    SyncState bState = new SyncState();
    SyncDocs.sync(a, aState, b, bState, 10);
    byte[] aSaved = aState.encode();
    byte[] bSaved = bState.encode();
    assertEquals(0x43, aSaved[0]);
    assertEquals(a.heads(), SyncState.decode(aSaved).sharedHeads());

    SyncDocs.edit(a, new Random(6), 3);
    SyncDocs.Exchange exchange =
        SyncDocs.sync(a, SyncState.decode(aSaved), b, SyncState.decode(bSaved), 10);
    assertEquals(a.heads(), b.heads());
    assertTrue(exchange.bytes() < 2_000, "bytes " + exchange.bytes());
  }

  @Test
  void generate_moreThanAThirdOfChanges_sendsWholeDocument() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(7), 10);
    Document b = a.fork(SyncDocs.actor(2));
    SyncDocs.edit(a, new Random(8), 30);
    SyncDocs.Exchange exchange = SyncDocs.sync(a, new SyncState(), b, new SyncState(), 10);
    assertEquals(a.heads(), b.heads());
    boolean sawDocument = false;
    for (byte[] message : exchange.log()) {
      SyncMessage decoded = SyncMessage.decode(message);
      if (decoded.changeEntryCount() == 1 && decoded.changes().get(0)[8] == 0) {
        sawDocument = true;
      }
    }
    assertTrue(sawDocument);
  }

  @Test
  void afterWholeDocument_laterChangesAloneAreSent() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(3), 20);
    Document b = Document.create(SyncDocs.actor(9), () -> 0L);
    SyncState aState = new SyncState();
    SyncState bState = new SyncState();
    SyncDocs.sync(a, aState, b, bState, 10);
    assertEquals(a.heads(), b.heads());
    assertEquals(a.heads(), aState.sentDocumentHeads());

    SyncDocs.edit(a, new Random(4), 1);
    SyncDocs.Exchange exchange = SyncDocs.sync(a, aState, b, bState, 10);
    assertEquals(a.heads(), b.heads());
    int chunks = 0;
    for (byte[] message : exchange.log()) {
      SyncMessage decoded = SyncMessage.decode(message);
      for (byte[] entry : decoded.changes()) {
        assertEquals(0x01, entry[8], "a change chunk, not the document again");
        chunks++;
      }
    }
    assertEquals(1, chunks);
  }

  @Test
  void peerLosesEverything_wholeDocumentIsSentAgain() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(5), 5);
    SyncState aState = new SyncState();
    SyncDocs.sync(a, aState, Document.create(SyncDocs.actor(9), () -> 0L), new SyncState(), 10);
    assertFalse(aState.sentDocumentHeads().isEmpty());

    // The same session, but the peer now says it has nothing (it lost its data).
    Document emptied = Document.create(SyncDocs.actor(8), () -> 0L);
    SyncDocs.sync(a, aState, emptied, new SyncState(), 10);
    assertEquals(a.heads(), emptied.heads());
  }

  @Test
  void generate_peerReadOnly_sendsNoChanges() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(9), 5);
    Document b = Document.create(SyncDocs.actor(2), () -> 0L);
    SyncState aState = new SyncState();
    SyncState bState = SyncState.readOnly();
    SyncDocs.sync(a, aState, b, bState, 10);
    assertTrue(aState.isPeerReadOnly());
    assertEquals(List.of(), b.heads());

    bState.setReadOnly(false);
    SyncDocs.sync(a, aState, b, bState, 10);
    assertEquals(a.heads(), b.heads());
  }

  @Test
  void receive_readOnly_ignoresChangesButSendsOurs() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(10), 5);
    Document b = SyncDocs.base().fork(SyncDocs.actor(2));
    SyncDocs.edit(b, new Random(11), 5);
    SyncState aState = SyncState.readOnly();
    List<ChangeHash> aHeads = a.heads();
    SyncDocs.sync(a, aState, b, new SyncState(), 10);
    assertEquals(aHeads, a.heads());
    assertTrue(b.heads().containsAll(aHeads));
  }

  @Test
  void generate_theirLastSyncUnknown_sendsReset() {
    Document a = SyncDocs.base();
    SyncDocs.edit(a, new Random(12), 5);
    Document b = a.fork(SyncDocs.actor(2));
    SyncState aState = new SyncState();
    SyncDocs.sync(a, aState, b, new SyncState(), 10);
    // B loses its data; A still holds a persisted state naming the heads they shared.
    Document lost = Document.create(SyncDocs.actor(3), () -> 0L);
    SyncState aPersisted = SyncState.decode(aState.encode());
    SyncState lostState = new SyncState();
    SyncMessage toLost = SyncMessage.decode(Sync.generateMessage(a, aPersisted).orElseThrow());
    assertEquals(a.heads(), toLost.have().get(0).lastSync());
    Sync.receiveMessage(lost, lostState, toLost.encode());
    SyncMessage reply = SyncMessage.decode(Sync.generateMessage(lost, lostState).orElseThrow());
    assertEquals(SyncMessage.Version.V1, reply.version());
    assertEquals(List.of(), reply.heads());
    assertEquals(List.of(Have.EVERYTHING), reply.have());
    assertEquals(0, reply.changeEntryCount());
    assertEquals(SyncMessage.FLAG_SUPPORTS_SYNC_RESET, reply.flags());
    assertFalse(lostState.haveResponded(), "a reset message changes no state");
    Sync.receiveMessage(a, aPersisted, reply.encode());
    SyncDocs.sync(a, aPersisted, lost, lostState, 10);
    assertEquals(a.heads(), lost.heads());
  }

  @Test
  void generate_emptyDocumentAskedForEverything_sendsEmptyDocumentChunk() {
    Document a = Document.create(SyncDocs.actor(1), () -> 0L);
    Document b = Document.create(SyncDocs.actor(2), () -> 0L);
    SyncDocs.Exchange exchange = SyncDocs.sync(a, new SyncState(), b, new SyncState(), 5);
    assertEquals(List.of(), a.heads());
    boolean sawEmptyDocument = false;
    for (byte[] message : exchange.log()) {
      SyncMessage decoded = SyncMessage.decode(message);
      if (decoded.changeEntryCount() == 1) {
        assertEquals(0, decoded.changes().get(0)[8]);
        sawEmptyDocument = true;
      }
    }
    assertTrue(sawEmptyDocument);
    assertFalse(exchange.rounds() > 2, "rounds " + exchange.rounds());
  }
}
