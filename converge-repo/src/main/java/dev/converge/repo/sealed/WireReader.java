package dev.converge.repo.sealed;

import dev.converge.core.CorruptDataException;
import dev.converge.core.LimitExceededException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the big-endian fields of one sealed-format value from a byte array, checking every length
 * against what is left before reading or allocating: a short input is a {@link
 * CorruptDataException} naming the field, its offset, and the bytes expected and found.
 */
final class WireReader {
  private final String what;
  private final byte[] data;
  private int position;

  WireReader(String what, byte[] data) {
    this.what = what;
    this.data = data;
  }

  int position() {
    return position;
  }

  byte[] data() {
    return data;
  }

  int remaining() {
    return data.length - position;
  }

  private void require(String field, int length) {
    if (length < 0 || length > remaining()) {
      throw new CorruptDataException(
          what
              + ": "
              + field
              + " at byte "
              + position
              + " needs "
              + length
              + " bytes, "
              + remaining()
              + " left of "
              + data.length);
    }
  }

  int u8(String field) {
    require(field, 1);
    return data[position++] & 0xff;
  }

  int u16(String field) {
    require(field, 2);
    int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
    position += 2;
    return value;
  }

  /** An unsigned 32-bit value, refused above {@code max}. */
  long u32(String field, long max) {
    require(field, 4);
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (data[position + i] & 0xff);
    }
    if (value > max) {
      throw new LimitExceededException(
          what + ": " + field + " at byte " + position + " is " + value + ", at most " + max);
    }
    position += 4;
    return value;
  }

  /** A 64-bit value, refused if negative as a signed number (sequence numbers stay below). */
  long u63(String field) {
    require(field, 8);
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (data[position + i] & 0xff);
    }
    if (value < 0) {
      throw new CorruptDataException(
          what + ": " + field + " at byte " + position + " is above 2^63 - 1");
    }
    position += 8;
    return value;
  }

  byte[] bytes(String field, int length) {
    require(field, length);
    byte[] out = java.util.Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** Moves past {@code length} bytes, checking that they are there. */
  void skip(String field, int length) {
    require(field, length);
    position += length;
  }

  ByteString byteString(String field, int length) {
    return ByteString.wrap(bytes(field, length));
  }

  /** A byte string preceded by its 4-byte length, refused above {@code lengthMax}. */
  byte[] sized(String field, int lengthMax) {
    int length = (int) u32(field + " length", lengthMax);
    return bytes(field, length);
  }

  String utf8(String field, int lengthMax) {
    int length = u16(field + " length");
    if (length > lengthMax) {
      throw new LimitExceededException(
          what + ": " + field + " of " + length + " bytes, at most " + lengthMax);
    }
    byte[] bytes = bytes(field, length);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptDataException(what + ": " + field + " is not UTF-8", e);
    }
  }

  void expectMagic(byte[] magic, int version) {
    byte[] found = bytes("magic", magic.length);
    if (!java.util.Arrays.equals(found, magic)) {
      throw new CorruptDataException(
          what
              + ": magic "
              + java.util.HexFormat.of().formatHex(found)
              + ", expected "
              + java.util.HexFormat.of().formatHex(magic));
    }
    int foundVersion = u8("version");
    if (foundVersion != version) {
      throw new dev.converge.core.UnsupportedFormatException(
          what + ": format version " + foundVersion + ", this reader knows " + version);
    }
  }

  void expectEnd() {
    if (remaining() != 0) {
      throw new CorruptDataException(
          what + ": " + remaining() + " bytes after the end at byte " + position);
    }
  }
}
