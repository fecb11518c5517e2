package dev.converge.core;

import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The SHA-256 hash of a change chunk, which names the change everywhere: in deps, heads and sync
 * messages. Ordered by unsigned bytes, the order in which Automerge writes hash arrays.
 */
public final class ChangeHash implements Comparable<ChangeHash> {
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;

  private ChangeHash(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * A hash holding a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static ChangeHash of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a change hash is " + LENGTH + " bytes, found " + bytes.length);
    }
    return new ChangeHash(bytes.clone());
  }

  /** A hash from {@code LENGTH} bytes of {@code source} starting at {@code offset}. */
  public static ChangeHash of(byte[] source, int offset) {
    return new ChangeHash(Arrays.copyOfRange(source, offset, offset + LENGTH));
  }

  /**
   * Parses 64 hex digits.
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 hex digits
   */
  public static ChangeHash fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  /** Whether the {@code LENGTH} bytes of {@code source} at {@code offset} are this hash. */
  public boolean matches(byte[] source, int offset) {
    return Arrays.equals(bytes, 0, LENGTH, source, offset, offset + LENGTH);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(ChangeHash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return this == other
        || (other instanceof ChangeHash that
            && hash == that.hash
            && Arrays.equals(bytes, that.bytes));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return toHex();
  }
}
