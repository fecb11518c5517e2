package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import java.util.Random;

/**
 * Fuzzes the sync message decoder and {@link Sync#receiveMessage} with arbitrary bytes.
 *
 * <p>How: the only allowed outcomes are a decoded message or a {@link ConvergeException}. A decoded
 * message must re-encode to bytes that decode to the same message. Then the input is received by a
 * replica mid-session: if that throws, the document's saved bytes and every field of the state must
 * be as before; if not, the replica must still answer with a message or nothing. Under {@code mvn
 * test} Jazzer replays the seeds in {@code
 * src/test/resources/dev/converge/core/sync/SyncMessageFuzzTestInputs/receive/} (real messages of
 * each kind); to explore, run {@code JAZZER_FUZZ=1 mvn -pl converge-core test
 * -Dtest=SyncMessageFuzzTest}. Every input that ever broke the decoder belongs in that folder.
 */
class SyncMessageFuzzTest {
  private static final SyncLimits LIMITS =
      SyncLimits.DEFAULT.withMessageBytesMax(1 << 20).withBloomBytesMax(1 << 16);

  @FuzzTest(maxDuration = "60s")
  void receive(byte[] data) {
    SyncMessage message;
    try {
      message = SyncMessage.decode(data, LIMITS);
    } catch (ConvergeException expected) {
      return;
    }
    byte[] encoded = message.encode();
    assertEquals(message, SyncMessage.decode(encoded, LIMITS));

    Document doc = SyncDocs.base();
    SyncDocs.edit(doc, new Random(1), 5);
    SyncState state = new SyncState();
    Sync.generateMessage(doc, state);
    byte[] saved = doc.save();
    String before = SyncBadInputTest.fingerprint(state);
    try {
      Sync.receiveMessage(doc, state, data, LIMITS);
    } catch (ConvergeException expected) {
      assertArrayEquals(saved, doc.save());
      assertEquals(before, SyncBadInputTest.fingerprint(state));
      return;
    }
    Sync.generateMessage(doc, state);
  }
}
