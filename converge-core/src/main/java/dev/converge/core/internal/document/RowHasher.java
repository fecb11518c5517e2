package dev.converge.core.internal.document;

import dev.converge.core.ChangeHash;
import dev.converge.core.internal.change.ChunkType;
import dev.converge.core.internal.codec.ByteWriter;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hashes rebuilt changes without framing them: a change's hash covers its chunk type, body length
 * and body (its deps, then everything after them), so feeding those pieces to the digest gives the
 * hash of the chunk that was never assembled.
 */
final class RowHasher {
  private final MessageDigest sha256;
  private final byte[] header = new byte[1 + 10 + 10];

  RowHasher() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Writes into {@code hashes} at {@code row * 32} the hash of the change chunk whose body is
   * {@code depRows}' hashes (taken from {@code hashes}) followed by the {@code length} bytes of
   * {@code bodies} at {@code from}.
   */
  void hash(int[] depRows, byte[] hashes, byte[] bodies, int from, int length, int row) {
    int depsLength = ByteWriter.ulebSize(depRows.length) + depRows.length * ChangeHash.LENGTH;
    int headerLength = 0;
    header[headerLength++] = (byte) ChunkType.CHANGE.code();
    headerLength = writeUleb(depsLength + length, headerLength);
    headerLength = writeUleb(depRows.length, headerLength);
    sha256.update(header, 0, headerLength);
    for (int dep : depRows) {
      sha256.update(hashes, dep * ChangeHash.LENGTH, ChangeHash.LENGTH);
    }
    sha256.update(bodies, from, length);
    try {
      sha256.digest(hashes, row * ChangeHash.LENGTH, ChangeHash.LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest into 32 bytes", e);
    }
  }

  private int writeUleb(long value, int at) {
    int position = at;
    long rest = value;
    while (rest >= 0x80) {
      header[position++] = (byte) (rest | 0x80);
      rest >>>= 7;
    }
    header[position++] = (byte) rest;
    return position;
  }
}
