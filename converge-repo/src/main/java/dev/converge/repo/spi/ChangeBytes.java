package dev.converge.repo.spi;

import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks that stored bytes are the change they claim to be, without decoding it. An uncompressed
 * change chunk is {@code magic(4) checksum(4) type(1) length(uLEB128) body}; its hash is SHA-256
 * over everything after the checksum, and the checksum is the hash's first four bytes (Automerge's
 * chunk format).
 */
public final class ChangeBytes {
  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};
  private static final int HEADER_BYTES = 8;
  private static final int CHANGE_CHUNK_TYPE = 1;

  private ChangeBytes() {}

  /**
   * The SHA-256 hash of the change chunk {@code bytes}.
   *
   * @throws CorruptDataException if {@code bytes} is not one whole uncompressed change chunk
   */
  public static ChangeHash hashOf(byte[] bytes) {
    if (bytes.length < HEADER_BYTES + 2) {
      throw new CorruptDataException("a change chunk is at least 10 bytes, found " + bytes.length);
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new CorruptDataException("change chunk has a bad magic number at byte " + i);
      }
    }
    if (bytes[HEADER_BYTES] != CHANGE_CHUNK_TYPE) {
      throw new CorruptDataException(
          "expected an uncompressed change chunk (type 1), found type " + bytes[HEADER_BYTES]);
    }
    long length = 0;
    int position = HEADER_BYTES + 1;
    int shift = 0;
    while (true) {
      if (position >= bytes.length || shift > 28) {
        throw new CorruptDataException("change chunk has a malformed length");
      }
      int next = bytes[position++] & 0xff;
      length |= (long) (next & 0x7f) << shift;
      shift += 7;
      if ((next & 0x80) == 0) {
        break;
      }
    }
    if (position + length != bytes.length) {
      throw new CorruptDataException(
          "change chunk declares " + length + " body bytes, found " + (bytes.length - position));
    }
    MessageDigest sha256 = sha256();
    sha256.update(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
    return ChangeHash.of(sha256.digest());
  }

  /**
   * Checks that {@code bytes} is the change chunk named {@code expected}.
   *
   * @throws CorruptStoreException naming {@code where} if it is not
   */
  public static void verify(ChangeHash expected, byte[] bytes, String where) {
    ChangeHash actual;
    try {
      actual = hashOf(bytes);
    } catch (CorruptDataException e) {
      throw new CorruptStoreException(
          "change " + expected + " at " + where + " is corrupt: " + e.getMessage(), e);
    }
    if (!actual.equals(expected)) {
      throw new CorruptStoreException(
          "change " + expected + " at " + where + " does not match its hash: found " + actual);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
