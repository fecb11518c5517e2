package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.core.CorruptDataException;
import dev.converge.repo.Base58Check;
import java.util.Arrays;
import java.util.Objects;

/**
 * The public half of a device's or an invite's keys: an Ed25519 key that signs, and an X25519 key
 * that epoch keys are sealed to. Its text form (what {@code converge whoami} prints) is base58check
 * of a version byte, 1, and the two keys.
 *
 * @param signKey the Ed25519 public key, 32 bytes
 * @param boxKey the X25519 public key, 32 bytes
 */
public record MemberKey(ByteString signKey, ByteString boxKey) {
  private static final byte TEXT_VERSION = 1;
  static final int BYTES = Ed25519.KEY_BYTES + X25519.KEY_BYTES;

  public MemberKey {
    Objects.requireNonNull(signKey, "signKey");
    Objects.requireNonNull(boxKey, "boxKey");
    if (signKey.length() != Ed25519.KEY_BYTES || boxKey.length() != X25519.KEY_BYTES) {
      throw new IllegalArgumentException(
          "a member key has a 32-byte signing key and a 32-byte box key, got "
              + signKey.length()
              + " and "
              + boxKey.length());
    }
  }

  /**
   * The member key written as {@code text}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not one
   */
  public static MemberKey parse(String text) {
    byte[] payload;
    try {
      payload = Base58Check.decode(text.strip());
    } catch (CorruptDataException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "not a member key: " + Quote.of(text) + " (expected what 'converge whoami' prints)",
          e);
    }
    if (payload.length != 1 + BYTES || payload[0] != TEXT_VERSION) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "not a member key: "
              + Quote.of(text)
              + " holds "
              + payload.length
              + " bytes, expected "
              + (1 + BYTES)
              + " starting with version "
              + TEXT_VERSION);
    }
    return new MemberKey(
        ByteString.of(payload, 1, Ed25519.KEY_BYTES),
        ByteString.of(payload, 1 + Ed25519.KEY_BYTES, X25519.KEY_BYTES));
  }

  /** The text form, as {@link #parse} reads it. */
  public String toText() {
    byte[] payload = new byte[1 + BYTES];
    payload[0] = TEXT_VERSION;
    System.arraycopy(signKey.unsafeArray(), 0, payload, 1, Ed25519.KEY_BYTES);
    System.arraycopy(boxKey.unsafeArray(), 0, payload, 1 + Ed25519.KEY_BYTES, X25519.KEY_BYTES);
    String text = Base58Check.encode(payload);
    Arrays.fill(payload, (byte) 0);
    return text;
  }

  @Override
  public String toString() {
    return toText();
  }
}
