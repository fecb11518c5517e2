package dev.converge.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.CorruptDataException;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** LEB128 through {@link ByteWriter} and {@link ByteReader}: explicit cases plus properties. */
class Leb128Test {
  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replace(" ", ""));
  }

  private static String uleb(long value) {
    ByteWriter out = new ByteWriter();
    out.writeUleb(value);
    return HexFormat.of().formatHex(out.toByteArray());
  }

  private static String sleb(long value) {
    ByteWriter out = new ByteWriter();
    out.writeSleb(value);
    return HexFormat.of().formatHex(out.toByteArray());
  }

  @Test
  void uleb_knownEncodings() {
    assertEquals("00", uleb(0));
    assertEquals("7f", uleb(127));
    assertEquals("8001", uleb(128));
    assertEquals("ac02", uleb(300));
    assertEquals("ffffffffffffffffff01", uleb(-1L));
  }

  @Test
  void sleb_knownEncodings() {
    assertEquals("00", sleb(0));
    assertEquals("7f", sleb(-1));
    assertEquals("3f", sleb(63));
    assertEquals("c000", sleb(64));
    assertEquals("bf7f", sleb(-65));
    assertEquals("ffffffffffffffffff00", sleb(Long.MAX_VALUE));
    assertEquals("8080808080808080807f", sleb(Long.MIN_VALUE));
  }

  @Test
  void uleb_overlongRejected() {
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> new ByteReader(hex("8000")).readUleb("x"));
    assertTrue(
        String.valueOf(e.getMessage()).contains("overlong LEB128 at byte 0"), e.getMessage());
    assertThrows(CorruptDataException.class, () -> new ByteReader(hex("ff00")).readUleb("x"));
  }

  @Test
  void uleb_overflowRejected() {
    assertThrows(
        CorruptDataException.class,
        () -> new ByteReader(hex("ffffffffffffffffff02")).readUleb("x"));
    assertThrows(
        CorruptDataException.class,
        () -> new ByteReader(hex("ffffffffffffffffff8100")).readUleb("x"));
  }

  @Test
  void sleb_overlongAndOverflowRejected() {
    assertThrows(CorruptDataException.class, () -> new ByteReader(hex("ff7f")).readSleb("x"));
    assertThrows(CorruptDataException.class, () -> new ByteReader(hex("8000")).readSleb("x"));
    assertThrows(
        CorruptDataException.class,
        () -> new ByteReader(hex("ffffffffffffffffff01")).readSleb("x"));
    assertThrows(
        CorruptDataException.class,
        () -> new ByteReader(hex("80808080808080808000")).readSleb("x"));
  }

  @Test
  void truncated_namesWhatAndWhere() {
    ByteReader reader = new ByteReader(hex("01 80"));
    reader.readUleb("first");
    CorruptDataException e = assertThrows(CorruptDataException.class, () -> reader.readUleb("seq"));
    assertEquals("seq: truncated LEB128 at byte 1", e.getMessage());
  }

  @Test
  void readLength_pastEndRejectedBeforeAllocating() {
    ByteReader reader = new ByteReader(hex("ffffffff0f 00"));
    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> reader.readLength("actor length"));
    assertTrue(
        String.valueOf(e.getMessage()).startsWith("actor length: length 4294967295 at byte 0"),
        e.getMessage());
  }

  @Test
  void readBytes_pastEndIsTypedError() {
    ByteReader reader = new ByteReader(new byte[3], 1, 2);
    assertThrows(CorruptDataException.class, () -> reader.readBytes(3, "hash"));
    assertArrayEquals(new byte[2], reader.readBytes(2, "hash"));
  }

  @Property(tries = 2000)
  void uleb_roundTrips(@ForAll long value) {
    ByteWriter out = new ByteWriter();
    out.writeUleb(value);
    assertEquals(ByteWriter.ulebSize(value), out.size());
    ByteReader reader = new ByteReader(out.toByteArray());
    assertEquals(value, reader.readUleb("x"));
    assertEquals(0, reader.remaining());
  }

  @Property(tries = 2000)
  void sleb_roundTrips(@ForAll long value) {
    ByteWriter out = new ByteWriter();
    out.writeSleb(value);
    assertEquals(ByteWriter.slebSize(value), out.size());
    ByteReader reader = new ByteReader(out.toByteArray());
    assertEquals(value, reader.readSleb("x"));
    assertEquals(0, reader.remaining());
  }
}
