package dev.converge.core.internal.document;

import dev.converge.core.LimitExceededException;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.Deflate;
import dev.converge.core.internal.codec.RawColumn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Opens a chunk's columns, inflating compressed ones within one budget for the whole chunk. */
final class Inflation {
  private final byte[] source;
  private long budget;

  Inflation(byte[] source, int inflatedBytesMax) {
    this.source = source;
    this.budget = inflatedBytesMax;
  }

  /** The columns' readers keyed by their normalized spec. */
  Columns open(List<RawColumn> columns, int dataStart, String what) {
    Map<ColumnSpec, ByteReader> readers = new HashMap<>();
    for (RawColumn column : columns) {
      ByteReader reader;
      int start = dataStart + column.offset();
      if (column.spec().deflate()) {
        if (budget <= 0) {
          throw new LimitExceededException(what + ": compressed columns inflate past the limit");
        }
        byte[] inflated =
            Deflate.inflate(
                source, start, column.length(), (int) budget, what + " " + column.spec());
        budget -= inflated.length;
        reader = new ByteReader(inflated);
      } else {
        reader = new ByteReader(source, start, column.length());
      }
      readers.put(column.spec().normalized(), reader);
    }
    return new Columns(readers);
  }

  /** Readers for the columns present; an absent column reads as empty. */
  static final class Columns {
    private final Map<ColumnSpec, ByteReader> readers;

    Columns(Map<ColumnSpec, ByteReader> readers) {
      this.readers = readers;
    }

    boolean has(ColumnSpec spec) {
      ByteReader reader = readers.get(spec);
      return reader != null && reader.hasRemaining();
    }

    ByteReader reader(ColumnSpec spec) {
      ByteReader reader = readers.get(spec);
      return reader != null ? reader : new ByteReader(new byte[0]);
    }
  }
}
