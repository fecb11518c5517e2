package dev.converge.core.internal.codec;

import dev.converge.core.CorruptDataException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How Automerge groups a chunk's columns into logical columns (compat §2.4), and the layout errors
 * it refuses: a raw value column with no value metadata column of its id just before it, a raw
 * value column after the metadata of another id, and a group column inside a group of the same id.
 *
 * <p>A value metadata column takes the raw value column right after it, if that has its id (none:
 * every value is empty). A group column takes every column after it with its id. Everything else
 * stands alone. Specs may repeat; whoever reads the logical columns decides which one counts
 * (JavaScript Automerge takes the last).
 */
public final class ColumnLayout {
  /**
   * A logical column.
   *
   * @param column the column, or the group or value metadata column that heads it
   * @param raw for value metadata, its raw value column; otherwise null
   * @param grouped for a group column, the logical columns it holds; otherwise empty
   */
  public record Logical(RawColumn column, @Nullable RawColumn raw, List<Logical> grouped) {
    public ColumnSpec spec() {
      return column.spec();
    }
  }

  private ColumnLayout() {}

  /**
   * The logical columns of {@code columns}, in order.
   *
   * @param what the chunk part, for messages
   * @throws CorruptDataException for a layout JavaScript Automerge refuses
   */
  public static List<Logical> of(List<RawColumn> columns, String what) {
    List<Logical> out = new ArrayList<>();
    int i = 0;
    while (i < columns.size()) {
      RawColumn column = columns.get(i);
      ColumnType type = column.spec().type();
      if (type == ColumnType.GROUP) {
        List<Logical> grouped = new ArrayList<>();
        int next = i + 1;
        while (next < columns.size() && columns.get(next).spec().id() == column.spec().id()) {
          RawColumn member = columns.get(next);
          if (member.spec().type() == ColumnType.GROUP) {
            throw layout(what, "nested group", member);
          }
          next = take(columns, next, grouped, what);
        }
        out.add(new Logical(column, null, List.copyOf(grouped)));
        i = next;
      } else {
        i = take(columns, i, out, what);
      }
    }
    return out;
  }

  /** Adds the logical column that starts at {@code i} (not a group); the index after it. */
  private static int take(List<RawColumn> columns, int i, List<Logical> out, String what) {
    RawColumn column = columns.get(i);
    ColumnType type = column.spec().type();
    if (type == ColumnType.VALUE) {
      throw layout(what, "raw value column without a value metadata column", column);
    }
    if (type != ColumnType.VALUE_METADATA) {
      out.add(new Logical(column, null, List.of()));
      return i + 1;
    }
    if (i + 1 < columns.size() && columns.get(i + 1).spec().type() == ColumnType.VALUE) {
      RawColumn raw = columns.get(i + 1);
      if (raw.spec().id() != column.spec().id()) {
        throw layout(what, "raw value column after the value metadata of another id", raw);
      }
      out.add(new Logical(column, raw, List.of()));
      return i + 2;
    }
    out.add(new Logical(column, null, List.of()));
    return i + 1;
  }

  private static CorruptDataException layout(String what, String problem, RawColumn column) {
    return new CorruptDataException(
        what + ": bad column layout, " + problem + ": " + column.spec());
  }
}
