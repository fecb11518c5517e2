package dev.converge.repo.sealed;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 signatures (RFC 8032) through the JDK, with keys in their raw 32-byte forms: a public key
 * as RFC 8032 encodes it, a private key as its 32-byte seed.
 */
final class Ed25519 {
  static final int KEY_BYTES = RawKeys.KEY_BYTES;
  static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  /** A fresh key pair: {seed, public key}. */
  static byte[][] generate(SecureRandom random) {
    KeyPair pair = RawKeys.generate(NamedParameterSpec.ED25519, random);
    byte[] seed =
        ((EdECPrivateKey) pair.getPrivate())
            .getBytes()
            .orElseThrow(() -> new IllegalStateException("the JDK hid an Ed25519 seed"));
    return new byte[][] {seed, RawKeys.raw(pair.getPublic())};
  }

  /** The JDK's private key for a 32-byte seed. */
  static PrivateKey privateKey(byte[] seed) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("an Ed25519 seed of 32 bytes is always a key", e);
    }
  }

  static byte[] sign(PrivateKey key, byte[] data, int offset, int length) {
    byte[] out = new byte[SIGNATURE_BYTES];
    sign(signer(key), data, offset, length, out, 0);
    return out;
  }

  /** A {@link Signature} that signs with {@code key}: one per thread, reusable after each sign. */
  static Signature signer(PrivateKey key) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      return signature;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK 17 signs with a valid Ed25519 key", e);
    }
  }

  /**
   * Signs {@code length} bytes of {@code data} at {@code offset} with {@code signer} (from {@link
   * #signer}), writing the 64-byte signature at {@code outOffset} of {@code out}.
   */
  static void sign(
      Signature signer, byte[] data, int offset, int length, byte[] out, int outOffset) {
    try {
      signer.update(data, offset, length);
      int written = signer.sign(out, outOffset, SIGNATURE_BYTES);
      if (written != SIGNATURE_BYTES) {
        throw new IllegalStateException("an Ed25519 signature of " + written + " bytes");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with a valid Ed25519 key cannot fail", e);
    }
  }

  /**
   * Whether {@code signature} (64 bytes at {@code signatureOffset}) is {@code publicKey}'s over the
   * {@code length} bytes of {@code data} at {@code offset}. False for a key that is not a point on
   * the curve, never an exception.
   */
  static boolean verify(
      byte[] publicKey, byte[] data, int offset, int length, byte[] sig, int signatureOffset) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(RawKeys.publicKey(NamedParameterSpec.ED25519, publicKey));
      signature.update(data, offset, length);
      return signature.verify(
          Arrays.copyOfRange(sig, signatureOffset, signatureOffset + SIGNATURE_BYTES));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
