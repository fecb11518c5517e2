package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * Epoch keys sealed to member-log entries, and the wrap of an older epoch key under a newer one.
 *
 * <p>A key box: {@code K = HKDF(salt = document ID, IKM = X25519(ephemeral, recipient box key),
 * info = label || ephemeral public || recipient box key || epoch)}, then AES-256-GCM of the epoch
 * key under {@code K} with a zero nonce and the recipient's Ed25519 key as associated data. Each
 * {@code K} seals exactly one value (the ephemeral key pair is fresh per operation and the
 * recipients differ), so the fixed nonce is never reused under a key.
 */
final class KeyBoxes {
  static final int SEALED_BYTES = Aead.KEY_BYTES + Aead.TAG_BYTES;
  private static final byte[] BOX_LABEL =
      "converge sealed v1 key box".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WRAP_LABEL =
      "converge sealed v1 epoch wrap".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZERO_NONCE = new byte[Aead.NONCE_BYTES];

  private KeyBoxes() {}

  /** An ephemeral public key and one box of {@code epochKey} per recipient, in their order. */
  record Sealed(ByteString ephemeral, List<KeyBox> boxes) {}

  static Sealed seal(
      DocumentId documentId,
      long epoch,
      byte[] epochKey,
      List<MemberKey> recipients,
      SecureRandom random) {
    byte[][] ephemeral = X25519.generate(random);
    List<KeyBox> boxes = new ArrayList<>(recipients.size());
    for (MemberKey recipient : recipients) {
      byte[] shared;
      try {
        shared = X25519.agree(ephemeral[0], recipient.boxKey().unsafeArray());
      } catch (GeneralSecurityException e) {
        // The member log admits only box keys that agree (MemberLog checks), so this is a bug.
        throw new IllegalStateException("box key of " + recipient + " does not agree", e);
      }
      byte[] key = boxKey(documentId, epoch, shared, ephemeral[1], recipient.boxKey());
      byte[] sealed = Aead.seal(key, ZERO_NONCE, recipient.signKey().unsafeArray(), epochKey);
      boxes.add(new KeyBox(recipient.signKey(), ByteString.wrap(sealed)));
    }
    return new Sealed(ByteString.wrap(ephemeral[1]), List.copyOf(boxes));
  }

  /**
   * The epoch key in {@code box}, opened with the recipient's private box key.
   *
   * @throws AEADBadTagException if the box was not sealed to this key (or was altered)
   */
  static byte[] open(
      DocumentId documentId, long epoch, ByteString ephemeral, KeyBox box, MemberKeyPair recipient)
      throws AEADBadTagException {
    byte[] shared;
    try {
      shared = X25519.agree(recipient.boxScalar(), ephemeral.unsafeArray());
    } catch (GeneralSecurityException e) {
      throw new AEADBadTagException("the ephemeral key of the box does not agree");
    }
    byte[] key =
        boxKey(documentId, epoch, shared, ephemeral.unsafeArray(), recipient.publicKey().boxKey());
    byte[] sealed = box.sealed().unsafeArray();
    return Aead.open(key, ZERO_NONCE, box.recipient().unsafeArray(), sealed, 0, sealed.length);
  }

  /** {@code older} (the key of epoch {@code epoch - 1}) sealed under {@code newer}'s wrap key. */
  static byte[] wrap(DocumentId documentId, long epoch, byte[] newer, byte[] older) {
    return Aead.seal(wrapKey(documentId, epoch, newer), ZERO_NONCE, new byte[0], older);
  }

  static byte[] unwrap(DocumentId documentId, long epoch, byte[] newer, ByteString wrapped)
      throws AEADBadTagException {
    byte[] sealed = wrapped.unsafeArray();
    return Aead.open(
        wrapKey(documentId, epoch, newer), ZERO_NONCE, new byte[0], sealed, 0, sealed.length);
  }

  private static byte[] wrapKey(DocumentId documentId, long epoch, byte[] newer) {
    byte[] info = Arrays.copyOf(WRAP_LABEL, WRAP_LABEL.length + 4);
    writeEpoch(info, WRAP_LABEL.length, epoch);
    return Hkdf.derive(documentId.toBytes(), newer, info, Aead.KEY_BYTES);
  }

  private static byte[] boxKey(
      DocumentId documentId, long epoch, byte[] shared, byte[] ephemeral, ByteString recipientBox) {
    byte[] info = new byte[BOX_LABEL.length + 2 * X25519.KEY_BYTES + 4];
    System.arraycopy(BOX_LABEL, 0, info, 0, BOX_LABEL.length);
    System.arraycopy(ephemeral, 0, info, BOX_LABEL.length, X25519.KEY_BYTES);
    System.arraycopy(
        recipientBox.unsafeArray(), 0, info, BOX_LABEL.length + X25519.KEY_BYTES, X25519.KEY_BYTES);
    writeEpoch(info, BOX_LABEL.length + 2 * X25519.KEY_BYTES, epoch);
    return Hkdf.derive(documentId.toBytes(), shared, info, Aead.KEY_BYTES);
  }

  private static void writeEpoch(byte[] target, int offset, long epoch) {
    for (int i = 0; i < 4; i++) {
      target[offset + i] = (byte) (epoch >>> (24 - 8 * i));
    }
  }

  /** Whether {@code boxKey} is an X25519 key that boxes can be sealed to. */
  static boolean isUsable(ByteString boxKey) {
    try {
      X25519.agree(FIXED_SCALAR, boxKey.unsafeArray());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * Any valid scalar serves to test a peer key: a point of small order gives an all-zero secret
   * whatever the (clamped) scalar.
   */
  private static final byte[] FIXED_SCALAR = new byte[X25519.KEY_BYTES];

  static {
    FIXED_SCALAR[0] = 8;
    FIXED_SCALAR[31] = 64;
  }
}
