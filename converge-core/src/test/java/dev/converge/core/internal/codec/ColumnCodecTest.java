package dev.converge.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Column encoders and decoders: the examples of compat §2.6, canonical-form rejections, values,
 * column metadata and DEFLATE, and a property that every encoder output decodes strictly to its
 * input.
 */
class ColumnCodecTest {
  private static String hex(ByteWriter out) {
    return HexFormat.of().formatHex(out.toByteArray());
  }

  private static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  @Test
  void string_repeatRun() {
    ByteWriter out = new ByteWriter();
    StringRleEncoder encoder = new StringRleEncoder();
    encoder.begin(out);
    for (int i = 0; i < 3; i++) {
      encoder.append("k");
    }
    encoder.finish();
    assertEquals("03016b", hex(out));
  }

  @Test
  void delta_nullsDoNotResetTheRunningValue() {
    ByteWriter out = new ByteWriter();
    DeltaEncoder encoder = new DeltaEncoder();
    encoder.begin(out);
    Long[] values = {null, null, 0L, 3L, null, null, 0L, 7L, 8L};
    for (Long value : values) {
      if (value == null) {
        encoder.appendNull();
      } else {
        encoder.append(value);
      }
    }
    encoder.finish();
    assertEquals("0002" + "7e0003" + "0002" + "7d7d0701", hex(out));
    DeltaDecoder decoder = new DeltaDecoder(new ByteReader(out.toByteArray()), "d", true, true);
    for (Long value : values) {
      assertEquals(value != null, decoder.next());
      if (value != null) {
        assertEquals(value.longValue(), decoder.value());
      }
    }
    decoder.expectDone();
  }

  @Test
  void boolean_startsWithFalseCount() {
    ByteWriter out = new ByteWriter();
    BooleanEncoder encoder = new BooleanEncoder();
    encoder.begin(out);
    for (boolean value : new boolean[] {true, true, true, true, false, false}) {
      encoder.append(value);
    }
    encoder.finish();
    assertEquals("000402", hex(out));
  }

  @Test
  void onlyNulls_encodeToNothing() {
    ByteWriter out = new ByteWriter();
    RleEncoder encoder = new RleEncoder(false);
    encoder.begin(out);
    encoder.appendNull();
    encoder.appendNull();
    encoder.finish();
    assertEquals(0, out.size());
  }

  @Test
  void trailingNulls_areWritten() {
    ByteWriter out = new ByteWriter();
    RleEncoder encoder = new RleEncoder(false);
    encoder.begin(out);
    encoder.append(5);
    encoder.appendNull();
    encoder.finish();
    assertEquals("7f05" + "0001", hex(out));
  }

  @Test
  void repeatRunOfOne_acceptedLenientlyRejectedStrictly() {
    byte[] column = bytes("01 02 7a 71");
    StringRleDecoder lenient = new StringRleDecoder(new ByteReader(column), "key", false);
    assertTrue(lenient.next());
    assertEquals("zq", lenient.value());
    lenient.expectDone();
    StringRleDecoder strict = new StringRleDecoder(new ByteReader(column), "key", true);
    CorruptDataException e = assertThrows(CorruptDataException.class, strict::next);
    assertTrue(String.valueOf(e.getMessage()).contains("repeat run of 1"), e.getMessage());
  }

  @Test
  void strict_rejectsAdjacentLiteralsAndEqualNeighbours() {
    assertStrictRejects("7f01 7f02", "adjacent literal");
    assertStrictRejects("7e0101", "equal to its neighbour");
    assertStrictRejects("0201 7f01", "equal to its neighbour");
    assertStrictRejects("0201 0201", "same value");
    assertStrictRejects("0001 0001", "adjacent null runs");
    assertStrictRejects("0000 7f01", "empty null run");
  }

  private static void assertStrictRejects(String hex, String problem) {
    LongRleDecoder decoder = new LongRleDecoder(new ByteReader(bytes(hex)), "c", false, true, true);
    CorruptDataException e =
        assertThrows(
            CorruptDataException.class,
            () -> {
              while (!decoder.isDone()) {
                decoder.next();
              }
            });
    assertTrue(String.valueOf(e.getMessage()).contains(problem), e.getMessage());
  }

  @Test
  void actorIndexes_valuePast32Bits_takesItsLow32Bits() {
    // A literal of 2^32 + 1 (uLEB 81 80 80 80 10) then 0.
    LongRleDecoder decoder =
        LongRleDecoder.actorIndexes(new ByteReader(bytes("7e 8180808010 00")), "c", true, false);
    assertEquals(1, decoder.nextValue());
    assertEquals(0, decoder.nextValue());
    assertTrue(decoder.isDone());
  }

  @Test
  void actorIndexes_strict_twoTo32BesideZero_refusedAsEqualNeighbours() {
    // A literal of 0 and 2^32, which JavaScript takes as two zeros: not canonical.
    LongRleDecoder decoder =
        LongRleDecoder.actorIndexes(new ByteReader(bytes("7e 00 8080808010")), "c", true, false);
    assertEquals(0, decoder.nextValue());
    CorruptDataException e = assertThrows(CorruptDataException.class, decoder::nextValue);
    assertTrue(String.valueOf(e.getMessage()).contains("equal to its neighbour"), e.getMessage());
  }

  @Test
  void rle_columnShorterThanExpected_namesColumnAndRow() {
    LongRleDecoder decoder = LongRleDecoder.unsigned(new ByteReader(bytes("0201")), "action");
    decoder.next();
    decoder.next();
    CorruptDataException e = assertThrows(CorruptDataException.class, decoder::next);
    assertEquals("action: column ends after 2 rows, at byte 2", e.getMessage());
  }

  @Test
  void rle_hugeLiteralCountRejected() {
    LongRleDecoder decoder =
        LongRleDecoder.unsigned(new ByteReader(bytes("8080808080808080807f")), "c");
    assertThrows(CorruptDataException.class, decoder::next);
  }

  @Test
  void values_roundTripEveryType() {
    List<ScalarValue> values =
        List.of(
            ScalarValue.NULL,
            ScalarValue.FALSE,
            ScalarValue.TRUE,
            new ScalarValue.Uint(-1L),
            ScalarValue.integer(Long.MIN_VALUE),
            new ScalarValue.F64(3.14159267),
            ScalarValue.str("é😀"),
            ScalarValue.Bytes.of(bytes("856f4a83")),
            new ScalarValue.Counter(10),
            new ScalarValue.Timestamp(1_700_000_000_000L),
            ScalarValue.Unknown.of(12, bytes("0102")));
    ByteWriter meta = new ByteWriter();
    ValueEncoder encoder = new ValueEncoder();
    encoder.begin(meta);
    values.forEach(encoder::append);
    encoder.finish();
    ValueDecoder decoder =
        new ValueDecoder(
            new ByteReader(meta.toByteArray()),
            new ByteReader(encoder.raw().toByteArray()),
            "v",
            true);
    for (ScalarValue value : values) {
      assertEquals(value, decoder.next());
    }
    decoder.expectDone();
  }

  @Test
  void values_knownMetadataWords() {
    ByteWriter meta = new ByteWriter();
    ValueEncoder encoder = new ValueEncoder();
    encoder.begin(meta);
    encoder.append(ScalarValue.integer(1));
    encoder.append(ScalarValue.str("x"));
    encoder.append(new ScalarValue.Counter(10));
    encoder.finish();
    assertEquals("7d141618", hex(meta));
    assertEquals("01780a", hex(encoder.raw()));
  }

  @Test
  void values_lebMayStopShortOfItsLengthButMustBeMinimal() {
    // Counter (type 8) of length 2 holding a 1-byte LEB and a stray byte, skipped as JavaScript
    // does.
    ValueDecoder extra =
        new ValueDecoder(new ByteReader(bytes("7f28")), new ByteReader(bytes("0a00")), "v", false);
    assertEquals(new ScalarValue.Counter(10), extra.next());
    ValueDecoder overlong =
        new ValueDecoder(new ByteReader(bytes("7f28")), new ByteReader(bytes("8a00")), "v", false);
    assertTrue(
        String.valueOf(assertThrows(CorruptDataException.class, overlong::next).getMessage())
            .contains("overlong"));
    ValueDecoder past =
        new ValueDecoder(new ByteReader(bytes("7ff60f")), new ByteReader(bytes("00")), "v", false);
    assertTrue(
        String.valueOf(assertThrows(CorruptDataException.class, past::next).getMessage())
            .contains("past the end"));
  }

  @Test
  void metadata_specsMustNotDescend() {
    assertTrue(metadataError("02 4201 3401").contains("sorted"));
    assertTrue(metadataError("01 42ff01").contains("past the end"));
    // A repeated spec is no metadata error: JavaScript Automerge reads the later column.
    assertEquals(2, ColumnMetadata.read(new ByteReader(bytes("02 4200 4200")), "ops").size());
    List<RawColumn> columns =
        ColumnMetadata.read(new ByteReader(bytes("03 3401 4202 5600 00 0000")), "ops");
    assertEquals(3, columns.size());
    assertEquals(3, ColumnMetadata.totalLength(columns));
    assertEquals(Optional.of(columns.get(1)), ColumnMetadata.find(columns, 4, ColumnType.INTEGER));
  }

  private static String metadataError(String hex) {
    byte[] data = Arrays.copyOf(bytes(hex), bytes(hex).length + 4);
    return String.valueOf(
        assertThrows(
                CorruptDataException.class, () -> ColumnMetadata.read(new ByteReader(data), "ops"))
            .getMessage());
  }

  @Test
  void deflate_roundTripsAndRejectsCorruptOrOversized() {
    byte[] data = new byte[5000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 7);
    }
    byte[] compressed = Deflate.compress(data, 0, data.length);
    assertArrayEquals(data, Deflate.inflate(compressed, 0, compressed.length, 1 << 20, "c"));
    assertThrows(
        LimitExceededException.class,
        () -> Deflate.inflate(compressed, 0, compressed.length, 4000, "c"));
    assertThrows(
        CorruptDataException.class,
        () -> Deflate.inflate(compressed, 0, compressed.length / 2, 1 << 20, "c"));
    assertThrows(
        CorruptDataException.class, () -> Deflate.inflate(bytes("ffffffff"), 0, 4, 1 << 20, "c"));
  }

  @Provide
  Arbitrary<List<Long>> nullableLongs() {
    return Arbitraries.oneOf(
            Arbitraries.longs().between(-3, 3), Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE))
        .injectNull(0.25)
        .list()
        .ofMaxSize(60);
  }

  @Property(tries = 1000)
  void rle_encodeThenStrictDecode_isIdentity(@ForAll("nullableLongs") List<Long> values) {
    for (boolean signed : new boolean[] {false, true}) {
      ByteWriter out = new ByteWriter();
      RleEncoder encoder = new RleEncoder(signed);
      encoder.begin(out);
      values.forEach(
          v -> {
            if (v == null) {
              encoder.appendNull();
            } else {
              encoder.append(v);
            }
          });
      encoder.finish();
      LongRleDecoder decoder =
          new LongRleDecoder(new ByteReader(out.toByteArray()), "c", signed, true, true);
      List<Long> decoded = new ArrayList<>();
      boolean allNull = values.stream().allMatch(v -> v == null);
      if (!allNull) {
        for (int i = 0; i < values.size(); i++) {
          decoded.add(decoder.next() ? decoder.value() : null);
        }
        assertEquals(values, decoded);
      }
      decoder.expectDone();
    }
  }

  @Property(tries = 1000)
  void delta_encodeThenStrictDecode_isIdentity(@ForAll("nullableLongs") List<Long> values) {
    ByteWriter out = new ByteWriter();
    DeltaEncoder encoder = new DeltaEncoder();
    encoder.begin(out);
    values.forEach(
        v -> {
          if (v == null) {
            encoder.appendNull();
          } else {
            encoder.append(v / 4);
          }
        });
    encoder.finish();
    if (values.stream().allMatch(v -> v == null)) {
      assertEquals(0, out.size());
      return;
    }
    DeltaDecoder decoder = new DeltaDecoder(new ByteReader(out.toByteArray()), "d", true, true);
    for (Long value : values) {
      assertEquals(value != null, decoder.next());
      if (value != null) {
        assertEquals(value / 4, decoder.value());
      }
    }
    decoder.expectDone();
  }

  @Property(tries = 1000)
  void boolean_encodeThenStrictDecode_isIdentity(@ForAll List<Boolean> values) {
    ByteWriter out = new ByteWriter();
    BooleanEncoder encoder = new BooleanEncoder();
    encoder.begin(out);
    values.forEach(encoder::append);
    encoder.finish();
    BooleanDecoder decoder = new BooleanDecoder(new ByteReader(out.toByteArray()), "b", true);
    for (Boolean value : values) {
      assertEquals(value, decoder.next());
    }
    decoder.expectDone();
  }
}
