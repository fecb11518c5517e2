package dev.converge.core.internal.document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.Change;
import dev.converge.core.ConvergeException;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.change.Json;
import dev.converge.core.internal.change.TestChunks;
import dev.converge.core.internal.change.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Document chunks: the Automerge fixtures (valid and invalid) and hand-made malformed input.
 *
 * <p>How: accepted fixtures must rebuild changes whose heads are the ones JS Automerge 3.5.0
 * reports in {@code expected-js-3.5.0.json}; rejected ones must raise a typed exception. The large
 * real-world fixtures are read from {@code shared/} when present.
 */
class DocumentChunkTest {

  private static DecodedDocument load(byte[] bytes) {
    return DocumentChunk.decode(Chunks.split(bytes).get(0), DocumentChunk.DecodeOptions.DEFAULT);
  }

  @Test
  void exemplar_decodesToOneChangeOf21Ops() {
    DecodedDocument document = load(Vectors.resource("fixtures/exemplar"));
    List<Change> changes = document.reconstructChanges();
    assertEquals(1, changes.size());
    assertEquals(21, changes.get(0).ops().size());
    assertEquals(
        "3df6f946d47c57c7fa84fccc3f72c2301c94d6c7d3a79bb6267c315b3d2d364c",
        changes.get(0).hash().toHex());
  }

  @Test
  void encode_largeDocument_columnSetsWrittenApartGiveTheSavedBytes() {
    // Past SPLIT_ROWS_MIN rows the change columns are written on a second core.
    dev.converge.core.Document document =
        dev.converge.core.Document.create(dev.converge.core.ActorId.random());
    java.util.concurrent.atomic.AtomicReference<dev.converge.core.ObjId> text =
        new java.util.concurrent.atomic.AtomicReference<>();
    document.change(
        tx ->
            text.set(
                tx.putObject(
                    dev.converge.core.ObjId.ROOT, "text", dev.converge.core.ObjType.TEXT)));
    dev.converge.core.ObjId textObj = Objects.requireNonNull(text.get(), "text");
    document.change(tx -> tx.splice(textObj, 0, 0, "ab".repeat(10_000)));
    for (int i = 0; i < 300; i++) {
      int at = i * 7;
      document.change(tx -> tx.splice(textObj, at, 1, "xy"));
    }
    byte[] saved = document.save();

    DecodedDocument decoded = load(saved);
    assertTrue(decoded.ops().size() > 20_000, "ops: " + decoded.ops().size());
    assertArrayEquals(saved, DocumentChunk.encode(decoded, true));
    List<Change> changes = decoded.reconstructChanges();
    assertEquals(document.changes(), changes);
  }

  @Test
  void incorrectMaxOp_rejected() {
    // JS reports "mismatching heads"; this file's first op id has counter 0, which no OpId can
    // hold, so the decoder already refuses it.
    byte[] bytes = Vectors.resource("fixtures/incorrect_max_op.automerge");
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> load(bytes).reconstructChanges());
    assertTrue(String.valueOf(e.getMessage()).contains("at op 0"), e.getMessage());
  }

  @Test
  void invalidDeflateStream_rejected() {
    assertThrows(
        CorruptDataException.class,
        () -> load(Vectors.resource("fixtures/invalid_deflate_stream.automerge")));
  }

  @Test
  void corruptDeflatedColumnWithGoodChecksum_rejected() {
    byte[] body = TestChunks.body(Vectors.resource("vectors/vec-003.automerge"));
    // The compressed columns sit at the end of the body; break the last DEFLATE stream.
    body[body.length - 3] ^= (byte) 0xff;
    body[body.length - 2] ^= (byte) 0xff;
    byte[] chunk = TestChunks.frame(0, body);
    assertThrows(
        CorruptDataException.class, () -> DocumentChunk.decode(chunk).reconstructChanges());
  }

  @Test
  void missingActor_rejected() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> load(Vectors.resource("fixtures/missing_actor.automerge")));
    assertTrue(String.valueOf(e.getMessage()).contains("actor"), e.getMessage());
  }

  @Test
  void objIdPastU32_rejected() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> load(Vectors.resource("fixtures/64bit_obj_id_doc.automerge")));
    assertTrue(String.valueOf(e.getMessage()).contains("counter too large"), e.getMessage());
  }

  @Test
  void truncatedCrasher_rejected() {
    byte[] bytes = Vectors.resource("fixtures/crash-da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assertThrows(CorruptDataException.class, () -> DocumentChunk.decode(bytes));
  }

  @Test
  void emptyDocument_matchesAutomergeBytes() {
    byte[] empty = java.util.HexFormat.of().parseHex("856f4a83b81a9544000400000000");
    DecodedDocument document = DocumentChunk.decode(empty);
    assertEquals(0, document.changes().size());
    assertEquals(List.of(), document.reconstructChanges());
    assertArrayEquals(empty, DocumentChunk.encode(document, true));
  }

  @Test
  void badChecksum_rejected() {
    byte[] bytes = Vectors.resource("vectors/vec-001.nodeflate.automerge");
    bytes[4] ^= 1;
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> DocumentChunk.decode(bytes));
    assertTrue(String.valueOf(e.getMessage()).contains("bad checksum"), e.getMessage());
  }

  @Test
  void decodeEncodeDecode_givesEqualDocument() {
    DecodedDocument document =
        DocumentChunk.decode(Vectors.resource("vectors/vec-014.nodeflate.automerge"));
    assertTrue(document.ops().size() > 0);
    assertEquals(document, DocumentChunk.decode(DocumentChunk.encode(document, false)));
    assertEquals(document, DocumentChunk.decode(DocumentChunk.encode(document, true)));
  }

  @Test
  void everyBodyByteFlip_isDocumentOrTypedError() {
    byte[] body = TestChunks.body(Vectors.resource("vectors/vec-014.nodeflate.automerge"));
    for (int i = 0; i < body.length; i++) {
      byte[] edited = body.clone();
      edited[i] ^= (byte) 0x41;
      try {
        DocumentChunk.decode(TestChunks.frame(0, edited)).reconstructChanges();
      } catch (ConvergeException expected) {
        // The typed outcome; anything else fails the test.
      }
    }
  }

  @Test
  void everyBodyTruncation_isTypedError() {
    byte[] body = TestChunks.body(Vectors.resource("vectors/vec-014.nodeflate.automerge"));
    for (int length = 0; length < body.length; length++) {
      byte[] chunk = TestChunks.frame(0, java.util.Arrays.copyOf(body, length));
      try {
        DocumentChunk.decode(chunk).reconstructChanges();
      } catch (ConvergeException expected) {
        // Typed; the heads index at the end may be cut off legally, so some prefixes load.
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "brave-ape-49.automerge",
        "monday-meeting-notes.automerge",
        "godot-modeled.amrg",
        "webstraits.amrg",
        "exemplar"
      })
  void acceptedRealWorldFixture_headsMatchJs(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found beside the repository");
    Map<String, Object> files =
        Json.object(
            Json.object(
                    Json.parse(
                        new String(
                            Vectors.fixture("expected-js-3.5.0.json"), StandardCharsets.UTF_8)))
                .get("files"));
    Map<String, Object> expected = Json.object(files.get(name));
    byte[] bytes = Vectors.fixture(name);
    List<Chunk> chunks = Chunks.split(bytes);
    DecodedDocument document =
        DocumentChunk.decode(chunks.get(0), DocumentChunk.DecodeOptions.DEFAULT);
    List<Change> changes = document.reconstructChanges();
    assertEquals(
        Json.array(expected.get("heads")),
        document.heads().stream().map(h -> h.toHex()).toList(),
        name);
    if (chunks.size() == 1) {
      assertEquals(
          ((Long) Objects.requireNonNull(expected.get("numChanges"))).intValue(),
          changes.size(),
          name);
    }
  }
}
