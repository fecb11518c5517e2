package dev.converge.core;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The author of changes: an arbitrary byte string, 16 random bytes by default.
 *
 * <p>Ordered lexicographically by unsigned bytes, which is the order Automerge uses to break ties
 * between op IDs with equal counters and to sort the actor tables of changes and documents.
 * Immutable and value-based.
 */
public final class ActorId implements Comparable<ActorId> {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private final int hash;

  private ActorId(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A fresh random 16-byte actor ID. */
  public static ActorId random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new ActorId(bytes);
  }

  /** An actor ID holding a copy of {@code bytes}; any length is allowed. */
  public static ActorId of(byte[] bytes) {
    return new ActorId(bytes.clone());
  }

  /**
   * Parses lowercase or uppercase hex.
   *
   * @throws IllegalArgumentException if {@code hex} is not an even number of hex digits
   */
  public static ActorId fromHex(String hex) {
    return new ActorId(HexFormat.of().parseHex(hex));
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /** The byte at {@code index}, without copying. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public int compareTo(ActorId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return this == other
        || (other instanceof ActorId that && hash == that.hash && Arrays.equals(bytes, that.bytes));
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
