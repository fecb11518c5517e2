package dev.converge.net.protocol;

import dev.converge.net.internal.ProtocolAccess;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with content equality: the {@code data} of a wire message. Copies at the
 * boundary, so no caller can change a message after it was built or decoded.
 */
public final class Bytes {
  private static final Bytes EMPTY = new Bytes(new byte[0]);
  private static final int TO_STRING_BYTES_MAX = 32;

  static {
    ProtocolAccess.register(new ProtocolAccessImpl());
  }

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** Parses lowercase or uppercase hex, ignoring whitespace. */
  public static Bytes fromHex(String hex) {
    return new Bytes(HexFormat.of().parseHex(hex.replaceAll("\\s+", "")));
  }

  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  byte[] unsafeArray() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    if (bytes.length <= TO_STRING_BYTES_MAX) {
      return "0x" + toHex();
    }
    return "0x"
        + HexFormat.of().formatHex(bytes, 0, TO_STRING_BYTES_MAX)
        + "... ("
        + bytes.length
        + " bytes)";
  }
}
