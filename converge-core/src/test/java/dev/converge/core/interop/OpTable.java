package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The op columns of an {@link EditableChunk} seen as rows, for edits that keep the columns
 * consistent with each other: remove, copy or move a whole op (its successors or preds and its raw
 * value bytes go with it), or give an op another value. Works only when every per-op column decoded
 * and holds one cell per op.
 */
final class OpTable {
  private static final long ACTION = (4 << 4) | Column.INTEGER;
  private static final int VALUE_ID = 5;

  private final List<Column> columns;
  final int rows;

  private OpTable(List<Column> columns, int rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /** The table over {@code columns}, if their shapes allow row edits. */
  static Optional<OpTable> of(List<Column> columns) {
    Optional<Column> action = EditableChunk.find(columns, ACTION);
    if (action.isEmpty() || action.get().cells == null) {
      return Optional.empty();
    }
    int rows = action.get().cells().size();
    for (Column column : columns) {
      if (column.type() == Column.VALUE || grouped(columns, column)) {
        continue;
      }
      if (column.cells == null || (column.cells().size() != rows && !column.cells().isEmpty())) {
        return Optional.empty();
      }
    }
    OpTable table = new OpTable(columns, rows);
    return table.consistent() ? Optional.of(table) : Optional.empty();
  }

  /** Whether {@code column} is an entry column of a group (preds, successors). */
  private static boolean grouped(List<Column> columns, Column column) {
    return column.type() != Column.GROUP
        && columns.stream().anyMatch(c -> c.type() == Column.GROUP && c.id() == column.id());
  }

  private boolean consistent() {
    for (Column group : groups()) {
      long entries = group.cells().stream().mapToLong(c -> c == null ? 0 : (Long) c).sum();
      for (Column entry : entriesOf(group)) {
        if (entry.cells == null || entry.cells().size() != entries) {
          return false;
        }
      }
    }
    Optional<Column> meta = valueMeta();
    Optional<Column> raw = valueRaw();
    if (meta.isPresent() && meta.get().cells().size() == rows) {
      long bytes = meta.get().cells().stream().mapToLong(c -> c == null ? 0 : (Long) c >>> 4).sum();
      return bytes == raw.map(c -> c.raw.length).orElse(0);
    }
    return true;
  }

  /** Removes op {@code row} and what belongs to it. */
  void remove(int row) {
    for (Column group : groups()) {
      long from = prefix(group, row);
      long count = cellLong(group, row);
      for (Column entry : entriesOf(group)) {
        entry.cells().subList((int) from, (int) (from + count)).clear();
      }
    }
    removeRawValue(row);
    for (Column column : perRow()) {
      column.cells().remove(row);
    }
  }

  /** Inserts a copy of op {@code row} before op {@code at} (which is counted before the copy). */
  void copy(int row, int at) {
    for (Column group : groups()) {
      long from = prefix(group, row);
      long count = cellLong(group, row);
      long to = prefix(group, at);
      for (Column entry : entriesOf(group)) {
        List<Object> copied =
            new ArrayList<>(entry.cells().subList((int) from, (int) (from + count)));
        entry.cells().addAll((int) to, copied);
      }
    }
    Optional<Column> raw = valueRaw();
    if (raw.isPresent()) {
      byte[] value = rawValue(row);
      int to = (int) rawPrefix(at);
      raw.get().raw = splice(raw.get().raw, to, 0, value);
    }
    for (Column column : perRow()) {
      column.cells().add(at, column.cells().get(row));
    }
  }

  /** Moves op {@code row} to just before op {@code at} of the table as it was. */
  void move(int row, int at) {
    copy(row, at);
    remove(at <= row ? row + 1 : row);
  }

  /**
   * Gives op {@code row} the value of type code {@code typeCode} with raw bytes {@code bytes}
   * (nothing for null and booleans).
   */
  void setValue(int row, int typeCode, byte[] bytes) {
    Optional<Column> meta = valueMeta();
    if (meta.isEmpty() || meta.get().cells().size() != rows) {
      return;
    }
    removeRawValue(row);
    Column raw = valueRaw().orElseGet(this::addRawColumn);
    raw.raw = splice(raw.raw, (int) rawPrefix(row), 0, bytes);
    meta.get().cells().set(row, ((long) bytes.length << 4) | typeCode);
  }

  static byte[] uleb(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Leb.writeUnsigned(out, value);
    return out.toByteArray();
  }

  static byte[] sleb(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Leb.writeSigned(out, value);
    return out.toByteArray();
  }

  static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private Column addRawColumn() {
    Column raw = new Column((VALUE_ID << 4) | Column.VALUE, new byte[0]);
    int at = columns.indexOf(valueMeta().orElseThrow()) + 1;
    columns.add(at, raw);
    return raw;
  }

  private void removeRawValue(int row) {
    Optional<Column> raw = valueRaw();
    Optional<Column> meta = valueMeta();
    if (raw.isEmpty() || meta.isEmpty() || meta.get().cells().size() != rows) {
      return;
    }
    int length = (int) (cellLong(meta.get(), row) >>> 4);
    raw.get().raw = splice(raw.get().raw, (int) rawPrefix(row), length, new byte[0]);
  }

  private byte[] rawValue(int row) {
    long from = rawPrefix(row);
    long length = cellLong(valueMeta().orElseThrow(), row) >>> 4;
    return Arrays.copyOfRange(valueRaw().orElseThrow().raw, (int) from, (int) (from + length));
  }

  private long rawPrefix(int row) {
    Optional<Column> meta = valueMeta();
    if (meta.isEmpty()) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < row && i < meta.get().cells().size(); i++) {
      bytes += cellLong(meta.get(), i) >>> 4;
    }
    return bytes;
  }

  private static long prefix(Column group, int row) {
    long sum = 0;
    for (int i = 0; i < row && i < group.cells().size(); i++) {
      sum += cellLong(group, i);
    }
    return sum;
  }

  private static long cellLong(Column column, int row) {
    if (row >= column.cells().size()) {
      return 0;
    }
    Object cell = column.cells().get(row);
    return cell == null ? 0 : (Long) cell;
  }

  private List<Column> groups() {
    return columns.stream()
        .filter(c -> c.type() == Column.GROUP && c.cells != null && c.cells().size() == rows)
        .toList();
  }

  private List<Column> entriesOf(Column group) {
    return columns.stream().filter(c -> c.id() == group.id() && c != group).toList();
  }

  private List<Column> perRow() {
    return columns.stream()
        .filter(c -> c.type() != Column.VALUE && !grouped(columns, c) && c.cells != null)
        .filter(c -> c.cells().size() == rows)
        .toList();
  }

  private Optional<Column> valueMeta() {
    return EditableChunk.find(columns, (VALUE_ID << 4) | Column.VALUE_METADATA)
        .filter(c -> c.cells != null);
  }

  private Optional<Column> valueRaw() {
    return EditableChunk.find(columns, (VALUE_ID << 4) | Column.VALUE);
  }

  private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
    int safeAt = Math.min(at, bytes.length);
    int safeRemoved = Math.min(removed, bytes.length - safeAt);
    byte[] out = new byte[bytes.length - safeRemoved + inserted.length];
    System.arraycopy(bytes, 0, out, 0, safeAt);
    System.arraycopy(inserted, 0, out, safeAt, inserted.length);
    System.arraycopy(
        bytes,
        safeAt + safeRemoved,
        out,
        safeAt + inserted.length,
        bytes.length - safeAt - safeRemoved);
    return out;
  }
}
