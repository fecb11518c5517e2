package dev.converge.core.internal.codec;

/**
 * A column specification: {@code (id << 4) | (deflate ? 8 : 0) | type} as a u32.
 *
 * @param id the column id, 0 to 2^28 - 1
 * @param type how the column is encoded
 * @param deflate whether the column's bytes are DEFLATE-compressed (documents only)
 */
public record ColumnSpec(int id, ColumnType type, boolean deflate)
    implements Comparable<ColumnSpec> {
  public static final int DEFLATE_BIT = 8;

  public ColumnSpec {
    if (id < 0 || id >= 1 << 28) {
      throw new IllegalArgumentException("column id must be 0..2^28-1, found " + id);
    }
  }

  public static ColumnSpec of(int id, ColumnType type) {
    return new ColumnSpec(id, type, false);
  }

  /** Parses a spec read as a u32 (held in a long). */
  public static ColumnSpec fromRaw(long raw) {
    if (raw < 0 || raw > 0xffff_ffffL) {
      throw new IllegalArgumentException("column spec must fit 32 bits, found " + raw);
    }
    return new ColumnSpec(
        (int) (raw >>> 4), ColumnType.fromCode((int) (raw & 7)), (raw & DEFLATE_BIT) != 0);
  }

  /** The u32 value, as a long. */
  public long raw() {
    return ((long) id << 4) | (deflate ? DEFLATE_BIT : 0) | type.code();
  }

  /** The same column without the deflate bit; the order of columns is by this value. */
  public ColumnSpec normalized() {
    return deflate ? new ColumnSpec(id, type, false) : this;
  }

  public ColumnSpec withDeflate(boolean compressed) {
    return compressed == deflate ? this : new ColumnSpec(id, type, compressed);
  }

  /** Orders by the normalized spec, then uncompressed first. */
  @Override
  public int compareTo(ColumnSpec other) {
    int byId = Integer.compare(id, other.id);
    if (byId != 0) {
      return byId;
    }
    int byType = Integer.compare(type.code(), other.type.code());
    return byType != 0 ? byType : Boolean.compare(deflate, other.deflate);
  }

  @Override
  public String toString() {
    return "column " + raw() + " (id " + id + " " + type + (deflate ? " deflated" : "") + ")";
  }
}
