package dev.converge.repo.sealed;

import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The private halves of a {@link MemberKey}: a device's keys, or an invite's (which a share link
 * carries). Never leaves the device but inside a share link.
 */
final class MemberKeyPair {
  private final byte[] signSeed;
  private final byte[] boxScalar;
  private final PrivateKey signPrivate;
  private final MemberKey publicKey;

  private MemberKeyPair(byte[] signSeed, byte[] boxScalar, MemberKey publicKey) {
    this.signSeed = signSeed;
    this.boxScalar = boxScalar;
    this.signPrivate = Ed25519.privateKey(signSeed);
    this.publicKey = publicKey;
  }

  static MemberKeyPair generate(SecureRandom random) {
    byte[][] sign = Ed25519.generate(random);
    byte[][] box = X25519.generate(random);
    return new MemberKeyPair(
        sign[0], box[0], new MemberKey(ByteString.wrap(sign[1]), ByteString.wrap(box[1])));
  }

  /**
   * The pair from its private halves and the signing public key (stored beside them: the JDK 17
   * cannot compute an Ed25519 public key from a seed). The box public key is computed.
   */
  static MemberKeyPair of(byte[] signSeed, byte[] boxScalar, ByteString signPublic) {
    Objects.requireNonNull(signPublic, "signPublic");
    if (signSeed.length != Ed25519.KEY_BYTES || boxScalar.length != X25519.KEY_BYTES) {
      throw new IllegalArgumentException("private keys have 32 bytes each");
    }
    ByteString boxPublic = ByteString.wrap(X25519.publicKey(boxScalar));
    return new MemberKeyPair(
        signSeed.clone(), boxScalar.clone(), new MemberKey(signPublic, boxPublic));
  }

  MemberKey publicKey() {
    return publicKey;
  }

  byte[] sign(byte[] data, int offset, int length) {
    return Ed25519.sign(signPrivate, data, offset, length);
  }

  /** A {@link java.security.Signature} initialised to sign with this pair's private key. */
  java.security.Signature newSignature() {
    return Ed25519.signer(signPrivate);
  }

  byte[] signSeed() {
    return signSeed.clone();
  }

  byte[] boxScalar() {
    return boxScalar.clone();
  }
}
