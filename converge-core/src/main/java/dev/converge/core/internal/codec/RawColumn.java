package dev.converge.core.internal.codec;

/**
 * One column as the metadata describes it.
 *
 * @param spec the column's specification
 * @param offset where its data starts, relative to the start of the column data block
 * @param length its byte length as stored (compressed if {@code spec.deflate()})
 */
public record RawColumn(ColumnSpec spec, int offset, int length) {
  public RawColumn {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
  }

  public int end() {
    return offset + length;
  }
}
