package dev.converge.core.internal.change;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeOp;
import dev.converge.core.ConvergeException;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.core.internal.codec.ByteWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Change chunks: the Automerge fixtures, hand-made malformed chunks, and encoder edge cases.
 *
 * <p>How: malformed inputs are made by editing a valid chunk and, where the test is about the body,
 * recomputing the checksum ({@link TestChunks}) so the decoder gets past it. Each must raise the
 * typed exception whose message names what was wrong.
 */
class ChangeChunksTest {
  private static final ActorId ALICE = ActorId.fromHex("aaaa");
  private static final ActorId BOB = ActorId.fromHex("bbbb");

  private static byte[] fixture(String name) {
    return Vectors.resource("fixtures/" + name);
  }

  private static ChangeOp put(String key, ScalarValue value) {
    return new ChangeOp(
        ObjId.ROOT, Key.prop(key), false, Action.SET, value, List.of(), false, Optional.empty());
  }

  private static Change simple() {
    return ChangeChunks.encode(
        ALICE,
        1,
        1,
        1_700_000_000_000L,
        Optional.of("hi"),
        List.of(),
        List.of(put("k", ScalarValue.str("v"))),
        new byte[0]);
  }

  @Test
  void counterValueIsOk_decodes() {
    Change change = ChangeChunks.decode(fixture("counter_value_is_ok.automerge"));
    assertEquals(
        "d473daa6f553b7786d5ff0e300b2d64b7fb2f043e2e177f26408a589705e1547", change.hash().toHex());
    assertEquals(1, change.ops().size());
    assertInstanceOf(ScalarValue.Counter.class, change.ops().get(0).value());
  }

  @Test
  void twoChangeChunks_compressedAndPlainGiveSameChanges() {
    List<Chunk> plain = Chunks.split(fixture("two_change_chunks.automerge"));
    List<Chunk> compressed = Chunks.split(fixture("two_change_chunks_compressed.automerge"));
    assertEquals(ChunkType.COMPRESSED_CHANGE, compressed.get(0).type());
    for (int i = 0; i < 2; i++) {
      Change a = ChangeChunks.decode(plain.get(i).copyBytes());
      Change b = ChangeChunks.decode(compressed.get(i).copyBytes());
      assertEquals(a.hash(), b.hash());
      assertArrayEquals(a.toBytes(), b.toBytes(), "toBytes is the type-1 chunk");
    }
  }

  @Test
  void compress_roundTripsThroughTypeTwo() {
    Change change = simple();
    byte[] compressed = ChangeChunks.compress(change);
    assertEquals(ChunkType.COMPRESSED_CHANGE.code(), compressed[8]);
    Change back = ChangeChunks.decode(compressed);
    assertArrayEquals(change.toBytes(), back.toBytes());
  }

  @Test
  void counterValueIsOverlong_rejected() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(fixture("counter_value_is_overlong.automerge")));
    assertTrue(String.valueOf(e.getMessage()).contains("overlong"), e.getMessage());
  }

  @Test
  void counterValueHasIncorrectMeta_rejected() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(fixture("counter_value_has_incorrect_meta.automerge")));
    assertTrue(String.valueOf(e.getMessage()).contains("extra bytes"), e.getMessage());
  }

  @Test
  void actionIs48_unsupported() {
    UnsupportedFormatException e =
        assertThrows(
            UnsupportedFormatException.class,
            () -> ChangeChunks.decode(fixture("action-is-48.automerge")));
    assertTrue(String.valueOf(e.getMessage()).contains("action index 48"), e.getMessage());
  }

  @Test
  void objIdPastU32_rejectedAsCounterTooLarge() {
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(fixture("64bit_obj_id_change.automerge")));
    assertTrue(String.valueOf(e.getMessage()).contains("counter too large"), e.getMessage());
  }

  @Test
  void truncatedHeaderFixture_isAnEmptyDocumentChunkNotAChange() {
    byte[] bytes = fixture("crash-da39a3ee5e6b4b0d3255bfef95601890afd80709");
    ChunkScan scan = Chunks.scan(bytes, 0, bytes.length);
    assertEquals(ChunkType.DOCUMENT, ((ChunkScan.Complete) scan).chunk().type());
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> ChangeChunks.decode(bytes));
    assertTrue(String.valueOf(e.getMessage()).contains("document chunk"), e.getMessage());
  }

  @Test
  void badChecksum_rejected() {
    byte[] chunk = simple().toBytes();
    chunk[5] ^= 1;
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> ChangeChunks.decode(chunk));
    assertTrue(String.valueOf(e.getMessage()).contains("bad checksum"), e.getMessage());
  }

  @Test
  void badMagic_rejected() {
    byte[] chunk = simple().toBytes();
    chunk[0] = 0;
    assertThrows(CorruptDataException.class, () -> ChangeChunks.decode(chunk));
  }

  @Test
  void unknownChunkType_unsupported() {
    byte[] chunk = TestChunks.frame(9, TestChunks.body(simple().toBytes()));
    assertThrows(UnsupportedFormatException.class, () -> ChangeChunks.decode(chunk));
  }

  @Test
  void everyTruncation_isIncompleteNotInvalid() {
    byte[] chunk = simple().toBytes();
    for (int length = 0; length < chunk.length; length++) {
      byte[] prefix = java.util.Arrays.copyOf(chunk, length);
      assertInstanceOf(
          ChunkScan.Incomplete.class, Chunks.scan(prefix, 0, length), "length " + length);
      int cut = length;
      CorruptDataException e =
          assertThrows(
              CorruptDataException.class, () -> ChangeChunks.decode(prefix), "length " + cut);
      assertTrue(String.valueOf(e.getMessage()).contains("truncated"), e.getMessage());
    }
  }

  @Test
  void everyBodyTruncationWithFreshChecksum_isTypedError() {
    byte[] body = TestChunks.body(vectorChange().toBytes());
    for (int length = 0; length < body.length; length++) {
      byte[] chunk = TestChunks.frame(1, java.util.Arrays.copyOf(body, length));
      try {
        Change change = ChangeChunks.decode(chunk);
        // Cutting only extra bytes or trailing columns can leave a valid change.
        assertEquals(length, TestChunks.body(change.toBytes()).length);
      } catch (ConvergeException expected) {
        assertTrue(
            String.valueOf(expected.getMessage()).contains("byte")
                || String.valueOf(expected.getMessage()).contains("op"),
            expected.getMessage());
      }
    }
  }

  @Test
  void everyByteFlipWithFreshChecksum_isChangeOrTypedError() {
    byte[] body = TestChunks.body(vectorChange().toBytes());
    for (int i = 0; i < body.length; i++) {
      for (int bit : new int[] {0x01, 0x40, 0x80}) {
        byte[] edited = body.clone();
        edited[i] ^= (byte) bit;
        try {
          ChangeChunks.decode(TestChunks.frame(1, edited));
        } catch (ConvergeException expected) {
          // The typed outcome; anything else fails the test.
        }
      }
    }
  }

  @Test
  void trailingBytesAfterChunk_rejected() {
    byte[] chunk = simple().toBytes();
    byte[] longer = java.util.Arrays.copyOf(chunk, chunk.length + 1);
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> ChangeChunks.decode(longer));
    assertTrue(String.valueOf(e.getMessage()).contains("after the chunk"), e.getMessage());
  }

  @Test
  void impossibleDepsCount_rejectedBeforeAllocating() {
    ByteWriter body = new ByteWriter();
    body.writeUleb(1L << 40);
    body.writeBytes(new byte[40]);
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(TestChunks.frame(1, body.toByteArray())));
    assertTrue(String.valueOf(e.getMessage()).contains("deps count"), e.getMessage());
  }

  @Test
  void startOpZero_rejected() {
    ByteWriter body = header(0);
    body.writeUleb(0);
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(TestChunks.frame(1, body.toByteArray())));
    assertTrue(String.valueOf(e.getMessage()).contains("startOp"), e.getMessage());
  }

  @Test
  void columnLengthPastEnd_rejected() {
    ByteWriter body = header(1);
    body.writeUleb(1);
    body.writeUleb(66);
    body.writeUleb(50);
    body.writeBytes(new byte[] {0x7f, 0x01});
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(TestChunks.frame(1, body.toByteArray())));
    assertTrue(String.valueOf(e.getMessage()).contains("past the end"), e.getMessage());
  }

  @Test
  void deflatedColumnInChange_rejected() {
    ByteWriter body = header(1);
    body.writeUleb(1);
    body.writeUleb(66 | 8);
    body.writeUleb(2);
    body.writeBytes(new byte[] {0x7f, 0x01});
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(TestChunks.frame(1, body.toByteArray())));
    assertTrue(String.valueOf(e.getMessage()).contains("compressed columns"), e.getMessage());
  }

  @Test
  void columnsOutOfOrder_rejected() {
    ByteWriter body = header(1);
    body.writeUleb(2);
    body.writeUleb(66);
    body.writeUleb(2);
    body.writeUleb(52);
    body.writeUleb(1);
    body.writeBytes(new byte[] {0x7f, 0x01, 0x01});
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(TestChunks.frame(1, body.toByteArray())));
    assertTrue(String.valueOf(e.getMessage()).contains("sorted"), e.getMessage());
  }

  @Test
  void insertColumnShorterThanActions_rejected() {
    // Two actions, keys, values and pred counts, but one insert flag: JavaScript reads a row of
    // every column for each op, and rows past the last op are ignored, but a missing one is not.
    ByteWriter body = header(1);
    body.writeUleb(5);
    for (int[] column : new int[][] {{21, 3}, {52, 1}, {66, 2}, {86, 2}, {112, 2}}) {
      body.writeUleb(column[0]);
      body.writeUleb(column[1]);
    }
    body.writeBytes(new byte[] {0x02, 0x01, 0x6b, 0x01, 0x02, 0x01, 0x02, 0x00, 0x02, 0x00});
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> ChangeChunks.decode(TestChunks.frame(1, body.toByteArray())));
    assertTrue(
        String.valueOf(e.getMessage()).contains("unexpected null in column insert at op 1"),
        e.getMessage());
  }

  @Test
  void hugeRepeatRun_stoppedByOpLimit() {
    ByteWriter body = header(1);
    body.writeUleb(1);
    body.writeUleb(66);
    body.writeUleb(3);
    body.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, 0x04});
    byte[] chunk = TestChunks.frame(1, body.toByteArray());
    // 65536 ops with no key: the key check fails at op 0 before any limit.
    assertThrows(CorruptDataException.class, () -> ChangeChunks.decode(chunk));
    // 65535 ops whose every column is one run: stopped by the limit, not read to the end.
    ByteWriter keyed = header(1);
    keyed.writeUleb(5);
    for (int[] column : new int[][] {{21, 5}, {52, 3}, {66, 4}, {86, 4}, {112, 4}}) {
      keyed.writeUleb(column[0]);
      keyed.writeUleb(column[1]);
    }
    keyed.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x03, 0x01, 0x6b});
    keyed.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x03});
    keyed.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x03, 0x01});
    keyed.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x03, 0x00});
    keyed.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0x03, 0x00});
    assertThrows(
        LimitExceededException.class,
        () ->
            ChangeChunks.decode(
                Chunks.single(TestChunks.frame(1, keyed.toByteArray())), 1 << 20, 1000));
  }

  @Test
  void encode_sortsDepsAndOtherActors_emptyMessageWrittenAsNoneButKept() {
    ChangeHash low = ChangeHash.fromHex("00".repeat(32));
    ChangeHash high = ChangeHash.fromHex("ff".repeat(32));
    OpId bobOp = new OpId(3, BOB);
    OpId carolOp = new OpId(2, ActorId.fromHex("cccc"));
    ChangeOp overwrite =
        new ChangeOp(
            ObjId.of(carolOp),
            Key.elem(ElemId.of(bobOp)),
            false,
            Action.SET,
            ScalarValue.integer(-5),
            List.of(carolOp, bobOp),
            false,
            Optional.empty());
    Change change =
        ChangeChunks.encode(
            ALICE, 2, 10, 0, Optional.of(""), List.of(high, low), List.of(overwrite), new byte[0]);
    assertEquals(List.of(low, high), change.deps());
    // A document chunk records "" apart from no message, as JS does; a change chunk cannot.
    assertEquals(Optional.of(""), change.message());
    Change none =
        ChangeChunks.encode(
            ALICE, 2, 10, 0, Optional.empty(), List.of(high, low), List.of(overwrite), new byte[0]);
    assertArrayEquals(none.toBytes(), change.toBytes());
    Change back = ChangeChunks.decode(change.toBytes());
    assertEquals(Optional.empty(), back.message());
    assertEquals(change.ops(), back.ops());
    assertEquals(change.deps(), back.deps());
  }

  @Test
  void encode_predsOutOfOrder_rejected() {
    ChangeOp op =
        new ChangeOp(
            ObjId.ROOT,
            Key.prop("k"),
            false,
            Action.DELETE,
            ScalarValue.NULL,
            List.of(new OpId(5, ALICE), new OpId(4, BOB)),
            false,
            Optional.empty());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ChangeChunks.encode(
                ALICE, 1, 6, 0, Optional.empty(), List.of(), List.of(op), new byte[0]));
  }

  @Test
  void extraBytes_keptAndHashed() {
    byte[] extra = {1, 2, 3};
    Change change =
        ChangeChunks.encode(
            ALICE,
            1,
            1,
            0,
            Optional.empty(),
            List.of(),
            List.of(put("a", ScalarValue.TRUE)),
            extra);
    Change back = ChangeChunks.decode(change.toBytes());
    assertArrayEquals(extra, back.extraBytes());
    assertEquals(change.hash(), back.hash());
  }

  @Test
  void emptyChange_roundTrips() {
    Change change =
        ChangeChunks.encode(ALICE, 3, 7, 5, Optional.empty(), List.of(), List.of(), new byte[0]);
    Change back = ChangeChunks.decode(change.toBytes());
    assertEquals(0, back.ops().size());
    assertEquals(6, back.maxOp());
    assertArrayEquals(change.toBytes(), back.toBytes());
  }

  private static Change vectorChange() {
    List<Chunk> chunks = Chunks.split(Vectors.resource("vectors/vec-014.changes"));
    return ChangeChunks.decode(chunks.get(0).copyBytes());
  }

  /** A change body up to the column metadata: no deps, actor aaaa, seq 1, startOp, time 0. */
  private static ByteWriter header(long startOp) {
    ByteWriter body = new ByteWriter();
    body.writeUleb(0);
    body.writeLengthPrefixed(ALICE.toBytes());
    body.writeUleb(1);
    if (startOp > 0) {
      body.writeUleb(startOp);
      body.writeSleb(0);
      body.writeUleb(0);
      body.writeUleb(0);
    }
    return body;
  }
}
