package dev.converge.core.internal.change;

import org.jspecify.annotations.Nullable;

/** The chunk type byte of a chunk header (compat §2.2). */
public enum ChunkType {
  DOCUMENT(0),
  CHANGE(1),
  COMPRESSED_CHANGE(2),
  /** Automerge's experimental columnar bundle of changes; recognised but not decoded. */
  BUNDLE(3);

  private final int code;

  ChunkType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type with {@code code}, or null for a code this version does not know. */
  static @Nullable ChunkType fromCode(int code) {
    for (ChunkType type : values()) {
      if (type.code == code) {
        return type;
      }
    }
    return null;
  }
}
