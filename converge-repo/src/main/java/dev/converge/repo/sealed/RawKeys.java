package dev.converge.repo.sealed;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * The curve25519 keys of Ed25519 and X25519 (RFC 8410) between the JDK's objects and their raw
 * 32-byte public forms: the JDK takes and gives a public key as an X.509 SubjectPublicKeyInfo, a
 * fixed 12-byte DER prefix (which names the algorithm) followed by the raw key.
 */
final class RawKeys {
  static final int KEY_BYTES = 32;

  /** The DER prefix before the raw key; byte 8 is the algorithm (0x70 Ed25519, 0x6e X25519). */
  private static final byte[] ED25519_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private static final byte[] X25519_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00
  };

  private RawKeys() {}

  /** A fresh key pair of {@code curve} (Ed25519 or X25519). */
  static KeyPair generate(NamedParameterSpec curve, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(curve.getName());
      generator.initialize(curve, random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 17 has " + curve.getName(), e);
    }
  }

  /**
   * The JDK's public key of {@code curve} for a raw 32-byte key.
   *
   * @throws GeneralSecurityException if {@code raw} is not 32 bytes or not a key of the curve
   */
  static PublicKey publicKey(NamedParameterSpec curve, byte[] raw) throws GeneralSecurityException {
    if (raw.length != KEY_BYTES) {
      throw new InvalidKeyException("an " + curve.getName() + " key has 32 bytes");
    }
    byte[] prefix = curve == NamedParameterSpec.ED25519 ? ED25519_PREFIX : X25519_PREFIX;
    byte[] encoded = Arrays.copyOf(prefix, prefix.length + KEY_BYTES);
    System.arraycopy(raw, 0, encoded, prefix.length, KEY_BYTES);
    return KeyFactory.getInstance(curve.getName()).generatePublic(new X509EncodedKeySpec(encoded));
  }

  /** The raw 32 bytes of a public key the JDK made. */
  static byte[] raw(PublicKey key) {
    byte[] encoded = key.getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - KEY_BYTES, encoded.length);
  }
}
