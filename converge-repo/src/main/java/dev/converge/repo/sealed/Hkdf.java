package dev.converge.repo.sealed;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256, as RFC 5869 defines it (extract, then expand): the JDK 17 has HMAC but no
 * HKDF. Checked against the RFC's test vectors in {@code HkdfTest}.
 */
final class Hkdf {
  private static final int HASH_BYTES = 32;

  /** RFC 5869 caps the output at 255 blocks. */
  static final int OUTPUT_BYTES_MAX = 255 * HASH_BYTES;

  private Hkdf() {}

  /**
   * {@code length} bytes of output keying material from {@code ikm}, {@code salt} (empty means a
   * block of zeros, as the RFC says) and {@code info}.
   */
  static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    if (length < 1 || length > OUTPUT_BYTES_MAX) {
      throw new IllegalArgumentException("HKDF length must be 1.." + OUTPUT_BYTES_MAX);
    }
    byte[] prk = hmac(salt.length == 0 ? new byte[HASH_BYTES] : salt, ikm);
    Mac mac = mac(prk);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      mac.update(block);
      mac.update(info);
      mac.update((byte) counter);
      block = mac.doFinal();
      int take = Math.min(block.length, length - written);
      System.arraycopy(block, 0, out, written, take);
      written += take;
    }
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    return mac(key).doFinal(data);
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }
}
