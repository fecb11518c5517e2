package dev.converge.repo.sealed;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable run of bytes with content equality: keys, hashes and encoded messages in the sealed
 * formats. The array given to {@link #of} is copied, and {@link #toArray} returns a copy, so no
 * caller can change a value another holds.
 */
public final class ByteString implements Comparable<ByteString> {
  private static final ByteString EMPTY = new ByteString(new byte[0]);

  private final byte[] bytes;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static ByteString of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static ByteString of(byte[] bytes, int offset, int length) {
    return new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** Takes {@code bytes} without a copy: for arrays nobody else holds. */
  static ByteString wrap(byte[] bytes) {
    return new ByteString(bytes);
  }

  public int length() {
    return bytes.length;
  }

  public byte at(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** The array itself, for code of this package that only reads it. */
  byte[] unsafeArray() {
    return bytes;
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Compares bytes as unsigned, shorter first on a common prefix: the order of member lists. */
  @Override
  public int compareTo(ByteString other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteString that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The first 8 bytes in hex, and the length: enough to tell values apart in a message. */
  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length));
    return bytes.length <= 8 ? hex : hex + "..(" + bytes.length + " bytes)";
  }
}
