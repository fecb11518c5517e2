package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.CorruptDataException;
import dev.converge.core.Document;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ObjId;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken sync messages (issue 4, "Bad input"): each gives a typed exception, leaves the
 * document and the sync state exactly as they were, and the session can carry on to convergence.
 *
 * <p>How: two replicas are brought mid-session, so the receiver's state is not trivial. Before each
 * bad message the test records the receiver's {@code save()} bytes and a fingerprint of every field
 * of its state, and compares both afterwards. Then the real message is delivered and the exchange
 * runs to the end.
 */
class SyncBadInputTest {
  private static final HexFormat HEX = HexFormat.of();

  /** A session between {@code a} and {@code b} with {@code next} the next message for b. */
  private static final class Session {
    final Document a = SyncDocs.base();
    final Document b;
    final SyncState aState = new SyncState();
    final SyncState bState = new SyncState();
    final byte[] next;

    Session(int seed) {
      SyncDocs.edit(a, new Random(seed), 20);
      b = a.fork(SyncDocs.actor(2));
      SyncDocs.edit(a, new Random(seed + 1), 8);
      SyncDocs.edit(b, new Random(seed + 2), 5);
      Sync.receiveMessage(b, bState, Sync.generateMessage(a, aState).orElseThrow());
      Sync.receiveMessage(a, aState, Sync.generateMessage(b, bState).orElseThrow());
      next = Sync.generateMessage(a, aState).orElseThrow();
    }

    void finish() {
      Sync.receiveMessage(b, bState, next);
      SyncDocs.sync(a, aState, b, bState, 10);
      assertEquals(a.heads(), b.heads());
      assertEquals(a.toJson(), b.toJson());
    }
  }

  static String fingerprint(SyncState state) {
    return Arrays.toString(state.encode())
        + state.lastSentHeads()
        + state.theirHeads()
        + state.theirNeed()
        + state.theirHave()
        + new java.util.TreeSet<>(state.sentHashes())
        + state.inFlight()
        + state.haveResponded()
        + state.peerSupportsV2()
        + state.peerSupportsSyncReset()
        + state.isReadOnly()
        + state.isPeerReadOnly();
  }

  /** Asserts that receiving {@code message} throws {@code type} and changes nothing. */
  static <T extends ConvergeException> void assertRejected(
      Class<T> type, Document doc, SyncState state, byte[] message) {
    byte[] saved = doc.save();
    String before = fingerprint(state);
    assertThrows(type, () -> Sync.receiveMessage(doc, state, message));
    assertArrayEquals(saved, doc.save(), "document changed");
    assertEquals(before, fingerprint(state), "state changed");
  }

  @Test
  void receive_truncatedAtEveryLength_rejectedAndNothingChanged() {
    Session session = new Session(1);
    SyncMessage whole = SyncMessage.decode(session.next);
    assertTrue(whole.changeEntryCount() > 0);
    byte[] saved = session.b.save();
    String before = fingerprint(session.bState);
    int flagsLength = 3;
    for (int length = 0; length < session.next.length; length++) {
      byte[] prefix = Arrays.copyOf(session.next, length);
      if (length == session.next.length - flagsLength) {
        // The one prefix that is itself a valid message: the same one, without its flags.
        SyncMessage withoutFlags = SyncMessage.decode(prefix);
        assertEquals(SyncMessage.NO_FLAGS, withoutFlags.flags());
        assertEquals(whole.heads(), withoutFlags.heads());
        continue;
      }
      try {
        Sync.receiveMessage(session.b, session.bState, prefix);
        fail("a prefix of " + length + " of " + session.next.length + " bytes was accepted");
      } catch (CorruptDataException expected) {
        // The one outcome allowed.
      }
      assertEquals(before, fingerprint(session.bState), "state changed at length " + length);
    }
    assertArrayEquals(saved, session.b.save());
    session.finish();
  }

  @Test
  void receive_unknownVersionOrEmpty_rejected() {
    Session session = new Session(2);
    for (int type : new int[] {0x00, 0x41, 0x44, 0x85, 0xff}) {
      byte[] message = session.next.clone();
      message[0] = (byte) type;
      assertRejected(CorruptDataException.class, session.b, session.bState, message);
    }
    assertRejected(CorruptDataException.class, session.b, session.bState, new byte[0]);
    session.finish();
  }

  @Test
  void receive_absurdCounts_rejectedBeforeAllocating() {
    Session session = new Session(3);
    String[] messages = {
      "42" + "ffffffffffffffff7f", // heads: 2^63 - 1 hashes
      "42" + "00" + "ffffffff0f", // need: 2^32 - 1 hashes
      "42" + "00" + "00" + "ffffffff0f", // have: 2^32 - 1 entries
      "42" + "00" + "00" + "00" + "ffffffff0f", // changes: 2^32 - 1 entries
      "42" + "00" + "00" + "00" + "01" + "ffffff7f" + "00", // one change of 256 MiB
      "42" + "00" + "00" + "01" + "00" + "7f" + "00", // a bloom filter of 127 bytes, 1 there
      "42" + "00" + "00" + "00" + "00" + "7f02", // flags of 127 bytes
      "42" + "0180808080808080808080", // a LEB128 count longer than 64 bits
      "42" + "8000" + "00" + "00" + "00", // an overlong LEB128 count
    };
    for (String hex : messages) {
      assertRejected(CorruptDataException.class, session.b, session.bState, HEX.parseHex(hex));
    }
    session.finish();
  }

  @Test
  void receive_countsOverLimits_limitExceeded() {
    Session session = new Session(4);
    SyncLimits small = SyncLimits.DEFAULT.withHashesMax(2).withMessageBytesMax(1 << 20);
    byte[] threeHeads = new byte[2 + 3 * 32 + 4];
    threeHeads[0] = 0x42;
    threeHeads[1] = 3;
    byte[] saved = session.b.save();
    String before = fingerprint(session.bState);
    assertThrows(
        LimitExceededException.class,
        () -> Sync.receiveMessage(session.b, session.bState, threeHeads, small));
    assertThrows(
        LimitExceededException.class,
        () ->
            Sync.receiveMessage(
                session.b,
                session.bState,
                session.next,
                SyncLimits.DEFAULT.withMessageBytesMax(session.next.length - 1)));
    assertArrayEquals(saved, session.b.save());
    assertEquals(before, fingerprint(session.bState));
    session.finish();
  }

  @Test
  void receive_badBloomFilters_rejected() {
    Session session = new Session(5);
    String[] blooms = {
      "050007", // entries but 0 bits per entry
      "e8070a07010203", // 1,000 entries, 3 bytes of bits
      "010ae807" + "0000", // 1,000 probes per hash
      "80808080100a07", // entry count over 32 bits
    };
    for (String bloom : blooms) {
      String hex =
          "42"
              + "00"
              + "00"
              + "01"
              + "00"
              + String.format("%02x", bloom.length() / 2)
              + bloom
              + "00";
      Class<? extends ConvergeException> type =
          bloom.startsWith("010ae807") ? LimitExceededException.class : CorruptDataException.class;
      assertRejected(type, session.b, session.bState, HEX.parseHex(hex));
    }
    session.finish();
  }

  @Test
  void receive_corruptChangeInsideValidMessage_rejectedAndNothingApplied() {
    Session session = new Session(6);
    SyncMessage real = SyncMessage.decode(session.next);
    byte[] changes = real.joinedChanges();
    // Flip a byte near the end of the joined changes: the last chunk's checksum fails.
    byte[] flipped = changes.clone();
    flipped[flipped.length - 2] ^= 0x40;
    SyncMessage bad =
        new SyncMessage(
            real.version(), real.heads(), real.need(), real.have(), List.of(flipped), real.flags());
    assertRejected(CorruptDataException.class, session.b, session.bState, bad.encode());
    // Good changes followed by garbage: nothing of the good part is applied either.
    byte[] withGarbage = Arrays.copyOf(changes, changes.length + 5);
    SyncMessage tail =
        new SyncMessage(
            real.version(),
            real.heads(),
            real.need(),
            real.have(),
            List.of(withGarbage),
            real.flags());
    assertRejected(CorruptDataException.class, session.b, session.bState, tail.encode());
    session.finish();
  }

  /**
   * A peer names heads and sends changes whose dependencies never arrive. That is not malformed: we
   * ask for them, the orphans wait in the queue, and syncing with an honest peer still converges.
   */
  @Test
  void receive_hashesThatNeverArrive_askedForThenSyncContinues() {
    Session session = new Session(7);
    ChangeHash phantom = SyncMessageTest.hash(99);
    SyncMessage liar =
        new SyncMessage(
            SyncMessage.Version.V2,
            List.of(phantom),
            List.of(),
            List.of(Have.EVERYTHING),
            List.of(),
            SyncMessage.FLAG_SUPPORTS_SYNC_RESET);
    SyncState liarState = new SyncState();
    Sync.receiveMessage(session.b, liarState, liar.encode());
    SyncMessage request =
        SyncMessage.decode(Sync.generateMessage(session.b, liarState).orElseThrow());
    assertEquals(List.of(phantom), request.need());

    // An orphan: a real change of a third replica whose parent we never send.
    Document third = session.a.fork(SyncDocs.actor(3));
    ObjId text = SyncDocs.obj(third, "text");
    third.change(tx -> tx.splice(text, 0, 0, "p"));
    third.change(tx -> tx.splice(text, 0, 0, "q"));
    byte[] orphan = third.changeBytes(third.heads().get(0)).orElseThrow();
    SyncMessage withOrphan =
        new SyncMessage(
            SyncMessage.Version.V2,
            third.heads(),
            List.of(),
            List.of(Have.EVERYTHING),
            List.of(orphan),
            SyncMessage.FLAG_SUPPORTS_SYNC_RESET);
    Sync.receiveMessage(session.b, liarState, withOrphan.encode());
    assertEquals(1, session.b.queuedChanges().size());
    session.finish();
  }

  @Test
  void receive_emptyDocumentChunk_accepted() {
    Document empty = Document.create(SyncDocs.actor(4), () -> 0L);
    byte[] emptyDocument = empty.save();
    assertEquals(0, emptyDocument[8]);
    Session session = new Session(8);
    List<ChangeHash> heads = session.b.heads();
    SyncMessage message =
        new SyncMessage(
            SyncMessage.Version.V2,
            List.of(),
            List.of(),
            List.of(Have.EVERYTHING),
            List.of(emptyDocument),
            SyncMessage.FLAG_SUPPORTS_SYNC_RESET);
    Sync.receiveMessage(session.b, new SyncState(), message.encode());
    assertEquals(heads, session.b.heads());
    assertEquals(14, emptyDocument.length, HEX.formatHex(emptyDocument));
    session.finish();
  }
}
