package dev.converge.repo.sealed;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 key agreement (RFC 7748) through the JDK, with keys in their raw 32-byte forms: a public
 * key as its little-endian u-coordinate, a private key as its scalar.
 */
final class X25519 {
  static final int KEY_BYTES = RawKeys.KEY_BYTES;

  private X25519() {}

  /** A fresh key pair: {private scalar, public key}. */
  static byte[][] generate(SecureRandom random) {
    KeyPair pair = RawKeys.generate(NamedParameterSpec.X25519, random);
    byte[] scalar =
        ((XECPrivateKey) pair.getPrivate())
            .getScalar()
            .orElseThrow(() -> new IllegalStateException("the JDK hid an X25519 scalar"));
    return new byte[][] {scalar, RawKeys.raw(pair.getPublic())};
  }

  /** The public key of the private scalar {@code scalar}: X25519(scalar, 9), RFC 7748 §6.1. */
  static byte[] publicKey(byte[] scalar) {
    try {
      PublicKey base =
          KeyFactory.getInstance("X25519")
              .generatePublic(
                  new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
      return agree(privateKey(scalar), base);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the base point is a valid X25519 key", e);
    }
  }

  /**
   * The shared secret of {@code scalar} and the peer's raw public key.
   *
   * @throws GeneralSecurityException if the peer's key is not usable (a point of small order gives
   *     an all-zero secret, which RFC 7748 §6.1 says to refuse)
   */
  static byte[] agree(byte[] scalar, byte[] peerPublic) throws GeneralSecurityException {
    return agree(privateKey(scalar), RawKeys.publicKey(NamedParameterSpec.X25519, peerPublic));
  }

  private static byte[] agree(PrivateKey own, PublicKey peer) throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("X25519");
    agreement.init(own);
    agreement.doPhase(peer, true);
    byte[] secret = agreement.generateSecret();
    int bits = 0;
    for (byte b : secret) {
      bits |= b;
    }
    if (bits == 0) {
      throw new java.security.InvalidKeyException("X25519 gave an all-zero secret");
    }
    return secret;
  }

  private static PrivateKey privateKey(byte[] scalar) throws GeneralSecurityException {
    return KeyFactory.getInstance("X25519")
        .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
  }
}
