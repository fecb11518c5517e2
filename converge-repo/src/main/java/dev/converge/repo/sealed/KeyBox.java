package dev.converge.repo.sealed;

import java.util.Objects;

/**
 * An epoch key sealed to one member-log entry: its Ed25519 key names the recipient, and {@code
 * sealed} is the 32-byte epoch key under AES-256-GCM with a key from X25519 of the operation's
 * ephemeral key and the recipient's box key ({@link KeyBoxes}).
 *
 * @param recipient the recipient's Ed25519 public key, 32 bytes
 * @param sealed 48 bytes: the ciphertext and its tag
 */
public record KeyBox(ByteString recipient, ByteString sealed) {
  static final int BYTES = Ed25519.KEY_BYTES + KeyBoxes.SEALED_BYTES;

  public KeyBox {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(sealed, "sealed");
    if (recipient.length() != Ed25519.KEY_BYTES || sealed.length() != KeyBoxes.SEALED_BYTES) {
      throw new IllegalArgumentException("a key box is a 32-byte key and 48 sealed bytes");
    }
  }
}
