package dev.converge.core.internal.document;

import dev.converge.core.internal.codec.ByteWriter;
import dev.converge.core.internal.codec.ColumnMetadata;
import dev.converge.core.internal.codec.ColumnSpec;
import dev.converge.core.internal.codec.Deflate;
import java.util.ArrayList;
import java.util.List;

/**
 * Columns written one after another into a buffer: their specs and where each starts and ends, with
 * the bytes replaced by compressed ones for columns that were deflated.
 */
final class EncodedColumns {
  private final List<ColumnSpec> specs = new ArrayList<>();
  private final List<int[]> ranges = new ArrayList<>();
  private final List<byte[]> replacements = new ArrayList<>();

  /** Records the column from {@code start} to the buffer's end, if it is not empty. */
  int end(ColumnSpec spec, int start, ByteWriter data) {
    if (data.size() > start) {
      specs.add(spec);
      ranges.add(new int[] {start, data.size()});
      replacements.add(null);
    }
    return data.size();
  }

  /** A copy where every column of at least {@link DocumentChunk#DEFLATE_MIN_BYTES} is deflated. */
  EncodedColumns compressed(ByteWriter data) {
    EncodedColumns out = new EncodedColumns();
    for (int i = 0; i < specs.size(); i++) {
      int[] range = ranges.get(i);
      int length = range[1] - range[0];
      out.ranges.add(range);
      if (length >= DocumentChunk.DEFLATE_MIN_BYTES) {
        out.specs.add(specs.get(i).withDeflate(true));
        out.replacements.add(Deflate.compress(data.array(), range[0], length));
      } else {
        out.specs.add(specs.get(i));
        out.replacements.add(null);
      }
    }
    return out;
  }

  void writeMetadata(ByteWriter out) {
    int count = specs.size();
    ColumnSpec[] specArray = specs.toArray(new ColumnSpec[0]);
    int[] lengths = new int[count];
    for (int i = 0; i < count; i++) {
      byte[] replacement = replacements.get(i);
      lengths[i] = replacement != null ? replacement.length : ranges.get(i)[1] - ranges.get(i)[0];
    }
    ColumnMetadata.write(out, specArray, lengths, count);
  }

  void writeData(ByteWriter out, ByteWriter data) {
    for (int i = 0; i < specs.size(); i++) {
      byte[] replacement = replacements.get(i);
      if (replacement != null) {
        out.writeBytes(replacement);
      } else {
        int[] range = ranges.get(i);
        out.writeBytes(data.array(), range[0], range[1] - range[0]);
      }
    }
  }
}
