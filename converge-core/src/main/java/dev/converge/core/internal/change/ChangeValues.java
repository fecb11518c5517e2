package dev.converge.core.internal.change;

import dev.converge.core.CorruptDataException;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.codec.ByteReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one op's value from a change chunk's value columns as JavaScript Automerge 3.5 does: the
 * metadata word's low four bits are the type, the rest the byte length (truncated to 32 bits, as
 * its WebAssembly build does). Null and booleans take no raw bytes, whatever the length says; LEB
 * values must be minimal and fill their length; a float takes 8 bytes; strings must be UTF-8; type
 * codes 10 to 15 are kept as unknown values. Stateless.
 */
final class ChangeValues {
  private ChangeValues() {}

  static ScalarValue read(ChangeColumnReader meta, ChangeColumnReader raw, int row) {
    if (meta.next() != ChangeColumnReader.VALUE) {
      throw new CorruptDataException("unexpected null in column value at op " + row);
    }
    long word = meta.longValue();
    int type = (int) (word & 0xf);
    long length = (word >>> 4) & 0xffff_ffffL;
    switch (type) {
      case 0:
        return ScalarValue.NULL;
      case 1:
        return ScalarValue.FALSE;
      case 2:
        return ScalarValue.TRUE;
      default:
        break;
    }
    int at = raw.take(length);
    byte[] data = raw.data();
    int size = (int) length;
    switch (type) {
      case 3:
        return new ScalarValue.Uint(leb(data, at, size, false, row));
      case 4:
        return new ScalarValue.Int(leb(data, at, size, true, row));
      case 5:
        if (size != 8) {
          throw new CorruptDataException(
              "invalid value in column value: float should have length 8, had "
                  + size
                  + " (op "
                  + row
                  + ")");
        }
        return new ScalarValue.F64(
            ByteBuffer.wrap(data, at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble());
      case 6:
        return ScalarValue.str(utf8(data, at, size, row));
      case 7:
        return ScalarValue.Bytes.of(java.util.Arrays.copyOfRange(data, at, at + size));
      case 8:
        return new ScalarValue.Counter(leb(data, at, size, true, row));
      case 9:
        return new ScalarValue.Timestamp(leb(data, at, size, true, row));
      default:
        return ScalarValue.Unknown.of(type, java.util.Arrays.copyOfRange(data, at, at + size));
    }
  }

  private static long leb(byte[] data, int at, int size, boolean signed, int row) {
    ByteReader slice = new ByteReader(data, at, size);
    String what = "invalid value in column value at op " + row;
    long value = signed ? slice.readSleb(what) : slice.readUleb(what);
    if (slice.hasRemaining()) {
      throw new CorruptDataException(what + ": extra bytes");
    }
    return value;
  }

  private static String utf8(byte[] data, int at, int size, int row) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, at, size))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptDataException("invalid value in column value: not UTF-8 at op " + row);
    }
  }
}
