package dev.converge.repo;

import dev.converge.core.CorruptDataException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Names a document in a repository, as automerge-repo does: 16 bytes made as a version-4 UUID,
 * written as base58check (for example {@code 2gPEzaT71LC5eGyYVyxKYCRaJd16}), so the same ID works
 * with JavaScript peers. Immutable and value-based.
 */
public final class DocumentId implements Comparable<DocumentId> {
  /** The length of a document ID made by automerge-repo (and by {@link #random}). */
  public static final int LENGTH = 16;

  private final byte[] bytes;
  private final String text;

  private DocumentId(byte[] bytes) {
    this.bytes = bytes;
    this.text = Base58Check.encode(bytes);
  }

  /** A fresh ID: a version-4 UUID's 16 bytes drawn from {@code random}. */
  public static DocumentId random(RandomGenerator random) {
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    return new DocumentId(bytes);
  }

  /**
   * An ID holding a copy of {@code bytes}. As in automerge-repo, any length is a valid ID.
   *
   * @throws CorruptDataException if {@code bytes} is empty
   */
  public static DocumentId of(byte[] bytes) {
    if (bytes.length == 0) {
      throw new CorruptDataException("a document ID has at least one byte, found none");
    }
    return new DocumentId(bytes.clone());
  }

  /**
   * Parses the base58check form, or a legacy UUID string (which automerge-repo still accepts).
   *
   * @throws CorruptDataException if {@code text} is neither, or its checksum does not match
   */
  public static DocumentId parse(String text) {
    if (text.length() == 36 && text.charAt(8) == '-') {
      try {
        UUID uuid = UUID.fromString(text);
        byte[] bytes = new byte[LENGTH];
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
          bytes[i] = (byte) (high >>> (56 - 8 * i));
          bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return new DocumentId(bytes);
      } catch (IllegalArgumentException e) {
        throw new CorruptDataException("not a document ID: '" + text + "'", e);
      }
    }
    return of(Base58Check.decode(text));
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** The base58check form. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public int compareTo(DocumentId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DocumentId that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
