package dev.converge.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A leaf value in a document, with Automerge's scalar types. Records with value semantics; {@link
 * Bytes} copies at the boundary and compares by content.
 */
public sealed interface ScalarValue
    permits ScalarValue.Null,
        ScalarValue.Bool,
        ScalarValue.Uint,
        ScalarValue.Int,
        ScalarValue.F64,
        ScalarValue.Str,
        ScalarValue.Bytes,
        ScalarValue.Counter,
        ScalarValue.Timestamp,
        ScalarValue.Unknown {

  /** The value-metadata type code Automerge stores for this value (low nibble). */
  int typeCode();

  Null NULL = new Null();
  Bool TRUE = new Bool(true);
  Bool FALSE = new Bool(false);

  /** A string value; one-character ASCII strings, most of any text, are shared instances. */
  static Str str(String value) {
    if (value.length() == 1 && value.charAt(0) < Str.ASCII.length) {
      return Str.ASCII[value.charAt(0)];
    }
    return new Str(value);
  }

  static Int integer(long value) {
    return new Int(value);
  }

  static Bool bool(boolean value) {
    return value ? TRUE : FALSE;
  }

  record Null() implements ScalarValue {
    @Override
    public int typeCode() {
      return 0;
    }
  }

  record Bool(boolean value) implements ScalarValue {
    @Override
    public int typeCode() {
      return value ? 2 : 1;
    }
  }

  /** An unsigned 64-bit integer, held in a long with the same bits. */
  record Uint(long value) implements ScalarValue {
    @Override
    public int typeCode() {
      return 3;
    }

    @Override
    public String toString() {
      return "Uint[" + Long.toUnsignedString(value) + "]";
    }
  }

  record Int(long value) implements ScalarValue {
    @Override
    public int typeCode() {
      return 4;
    }
  }

  record F64(double value) implements ScalarValue {
    @Override
    public int typeCode() {
      return 5;
    }
  }

  record Str(String value) implements ScalarValue {
    // A text holds one value per character: sharing the common ones keeps a loaded or edited text
    // from holding a value, a string and its bytes per character.
    private static final Str[] ASCII = new Str[128];

    static {
      for (int c = 0; c < ASCII.length; c++) {
        ASCII[c] = new Str(String.valueOf((char) c));
      }
    }

    public Str {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public int typeCode() {
      return 6;
    }
  }

  /** Raw bytes with content equality. */
  final class Bytes implements ScalarValue {
    private final byte[] value;

    private static final Bytes EMPTY = new Bytes(new byte[0]);

    private Bytes(byte[] value) {
      this.value = value;
    }

    public static Bytes of(byte[] value) {
      return value.length == 0 ? EMPTY : new Bytes(value.clone());
    }

    public byte[] value() {
      return value.clone();
    }

    public int length() {
      return value.length;
    }

    @Override
    public int typeCode() {
      return 7;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Bytes that && java.util.Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Bytes[" + java.util.HexFormat.of().formatHex(value) + "]";
    }
  }

  /** A counter; as a value in an op, its initial value. */
  record Counter(long value) implements ScalarValue {
    @Override
    public int typeCode() {
      return 8;
    }
  }

  /** Milliseconds since the Unix epoch. */
  record Timestamp(long millis) implements ScalarValue {
    @Override
    public int typeCode() {
      return 9;
    }
  }

  /** A value whose type code (10..15) this version does not know; kept and written back as is. */
  final class Unknown implements ScalarValue {
    private final int typeCode;
    private final byte[] bytes;

    private Unknown(int typeCode, byte[] bytes) {
      this.typeCode = typeCode;
      this.bytes = bytes;
    }

    /**
     * Returns a value of a type this version does not know, to be kept and written back as is.
     *
     * @throws IllegalArgumentException if {@code typeCode} is a known code (0..9) or above 15
     */
    public static Unknown of(int typeCode, byte[] bytes) {
      if (typeCode < 10 || typeCode > 15) {
        throw new IllegalArgumentException(
            "unknown value type codes are 10..15, found " + typeCode);
      }
      return new Unknown(typeCode, bytes.clone());
    }

    public byte[] bytes() {
      return bytes.clone();
    }

    public int length() {
      return bytes.length;
    }

    @Override
    public int typeCode() {
      return typeCode;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Unknown that
          && typeCode == that.typeCode
          && java.util.Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
      return 31 * typeCode + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Unknown[" + typeCode + ", " + java.util.HexFormat.of().formatHex(bytes) + "]";
    }
  }
}
