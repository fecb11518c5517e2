package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Column metadata (compat §2.4, §2.5): a uLEB count N, then N pairs of (uLEB u32 spec, uLEB byte
 * length). The columns' data follow in the same order with nothing between them.
 *
 * <p>Reading enforces the order JavaScript Automerge requires: specs never descending by their
 * normalized value (deflate bit cleared). A spec may repeat; {@link ColumnLayout} checks how the
 * columns group. Columns of unknown id are kept in the result; callers ignore what they do not
 * know.
 */
public final class ColumnMetadata {
  private ColumnMetadata() {}

  /**
   * Reads the metadata and checks that the data it describes fits in the bytes after it.
   *
   * @param what the chunk part, for messages ("change op columns")
   * @return the columns with offsets relative to the start of the column data
   * @throws CorruptDataException on a malformed metadata block or columns out of order
   */
  public static List<RawColumn> read(ByteReader reader, String what) {
    int start = reader.position();
    int count = reader.readCount(what + " count", reader.remaining() / 2);
    List<RawColumn> columns = new ArrayList<>(count);
    long total = 0;
    ColumnSpec previous = null;
    for (int i = 0; i < count; i++) {
      int specAt = reader.position();
      ColumnSpec spec = ColumnSpec.fromRaw(reader.readUleb32(what + " spec " + i));
      long length = reader.readUleb(what + " length of " + spec);
      total += length;
      if (length < 0 || total > reader.remaining()) {
        throw new CorruptDataException(
            what
                + ": "
                + spec
                + " of "
                + Long.toUnsignedString(length)
                + " bytes runs past the end of the chunk, at byte "
                + specAt);
      }
      checkOrder(previous, spec, what, specAt);
      columns.add(new RawColumn(spec, (int) (total - length), (int) length));
      previous = spec;
    }
    if (reader.position() < start) {
      throw new AssertionError("reader moved backwards");
    }
    return columns;
  }

  private static void checkOrder(
      @Nullable ColumnSpec previous, ColumnSpec spec, String what, int at) {
    if (previous != null && previous.normalized().compareTo(spec.normalized()) > 0) {
      throw new CorruptDataException(
          what
              + ": "
              + spec
              + " is after "
              + previous
              + " (columns must be sorted by spec), at byte "
              + at);
    }
  }

  /** Sum of the stored lengths. */
  public static int totalLength(List<RawColumn> columns) {
    return columns.isEmpty() ? 0 : columns.get(columns.size() - 1).end();
  }

  /** The column with {@code id} and {@code type}, compressed or not. */
  public static Optional<RawColumn> find(List<RawColumn> columns, int id, ColumnType type) {
    for (RawColumn column : columns) {
      if (column.spec().id() == id && column.spec().type() == type) {
        return Optional.of(column);
      }
    }
    return Optional.empty();
  }

  /** Writes the metadata for {@code count} columns. */
  public static void write(ByteWriter out, ColumnSpec[] specs, int[] lengths, int count) {
    out.writeUleb(count);
    for (int i = 0; i < count; i++) {
      out.writeUleb(specs[i].raw());
      out.writeUleb(lengths[i]);
    }
  }
}
