package dev.converge.repo.sealed;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with 96-bit nonces and 128-bit tags, through the JDK. Callers make sure a nonce is
 * never used twice under one key (see docs/sealed.md, "Keys and nonces").
 */
final class Aead {
  static final int KEY_BYTES = 32;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;

  private Aead() {}

  static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      cipher.updateAAD(aad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM with a 32-byte key and fresh nonce cannot fail", e);
    }
  }

  /**
   * The plaintext of {@code length} bytes of ciphertext-and-tag at {@code offset}.
   *
   * @throws AEADBadTagException if the tag does not check: the key, nonce, associated data or
   *     ciphertext differ from those sealed
   */
  static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] data, int offset, int length)
      throws AEADBadTagException {
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
      cipher.updateAAD(aad);
      return cipher.doFinal(data, offset, length);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed other than by its tag", e);
    }
  }

  /** An AES-GCM cipher to initialise per use; for a caller that encrypts many times. */
  static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has AES/GCM/NoPadding", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = newCipher();
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
    return cipher;
  }
}
