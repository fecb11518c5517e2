package dev.converge.sim.exhaustive;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 for the exhaustive check's state keys and message digests, made without a lookup. */
final class Sha256 {
  private static final MessageDigest PROTOTYPE;

  static {
    try {
      PROTOTYPE = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Sha256() {}

  /** A fresh SHA-256; cloning the prototype skips the provider lookup of getInstance. */
  static MessageDigest newDigest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
    }
  }

  static byte[] of(byte[] bytes) {
    return newDigest().digest(bytes);
  }
}
