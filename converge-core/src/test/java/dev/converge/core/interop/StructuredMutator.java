package dev.converge.core.interop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Edits Automerge files at the level of their fields and column cells, so that most results still
 * parse and reach the checks on what the ops mean: a cell set to a neighbouring or odd value, an op
 * removed, copied or moved with its successors and value, an op given another value, a column
 * dropped or emptied, actors or hashes reordered, duplicated or dropped, a change's seq, startOp or
 * message changed. Columns are written back in canonical form. Each edit draws from one seeded
 * {@link SplittableRandom}.
 */
final class StructuredMutator {
  private StructuredMutator() {}

  /** One to three edits of one chunk of {@code file}; {@code file} itself if none parses. */
  static byte[] mutate(byte[] file, SplittableRandom random) {
    ChunkFile chunks = ChunkFile.of(file);
    List<Integer> editable = new ArrayList<>();
    for (int i = 0; i < chunks.chunks.size(); i++) {
      if (chunks.editable(i)) {
        editable.add(i);
      }
    }
    if (editable.isEmpty()) {
      return file;
    }
    int edits = 1 + random.nextInt(3);
    chunks.edit(
        editable.get(random.nextInt(editable.size())),
        chunk -> {
          for (int i = 0; i < edits; i++) {
            edit(chunk, random);
          }
        });
    if (random.nextInt(8) == 0 && chunks.chunks.size() > 1) {
      // Reorder the chunks themselves.
      int size = chunks.chunks.size();
      Collections.swap(chunks.chunks, random.nextInt(size), random.nextInt(size));
    }
    return chunks.bytes();
  }

  private static void edit(EditableChunk chunk, SplittableRandom random) {
    switch (random.nextInt(12)) {
      case 0, 1, 2 -> editCell(pick(chunk, random), random);
      case 3, 4 -> editRows(chunk.opColumns, random);
      case 5 -> editValue(chunk.opColumns, random);
      case 6 -> editColumns(pick(chunk, random), random);
      case 7 -> editList(chunk.actors, random, 16);
      case 8 -> editList(chunk.hashes, random, 32);
      case 9 -> editHeader(chunk, random);
      case 10 -> editCell(chunk.opColumns, random);
      default -> editRows(chunk.opColumns, random);
    }
  }

  private static List<Column> pick(EditableChunk chunk, SplittableRandom random) {
    return chunk.type == 0 && random.nextInt(3) == 0 ? chunk.changeColumns : chunk.opColumns;
  }

  private static void editCell(List<Column> columns, SplittableRandom random) {
    List<Column> decoded =
        columns.stream().filter(c -> c.cells != null && !c.cells().isEmpty()).toList();
    if (decoded.isEmpty()) {
      return;
    }
    Column column = decoded.get(random.nextInt(decoded.size()));
    int row = random.nextInt(column.cells().size());
    Object cell = column.cells().get(row);
    Object other = column.cells().get(random.nextInt(column.cells().size()));
    Object replacement;
    switch (column.type()) {
      case Column.BOOLEAN -> replacement = !(Boolean) cell;
      case Column.STRING -> replacement = pickString(random, other);
      default -> {
        long value = cell == null ? 0 : (Long) cell;
        replacement =
            switch (random.nextInt(7)) {
              case 0 -> value + 1;
              case 1 -> value - 1;
              case 2 -> null;
              case 3 -> other;
              case 4 -> (long) random.nextInt(4);
              case 5 -> 0xffffffffL + random.nextInt(3) - 1;
              default -> value + random.nextInt(16) - 8;
            };
        if (replacement != null && (Long) replacement < 0 && column.type() != Column.DELTA) {
          replacement = 0L;
        }
      }
    }
    column.cells().set(row, replacement);
  }

  private static @Nullable Object pickString(SplittableRandom random, Object other) {
    return switch (random.nextInt(6)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> other;
      case 3 -> "x";
      case 4 -> "\uffff";
      default -> "key" + random.nextInt(3);
    };
  }

  private static void editRows(List<Column> columns, SplittableRandom random) {
    Optional<OpTable> table = OpTable.of(columns);
    if (table.isEmpty() || table.get().rows == 0) {
      return;
    }
    int rows = table.get().rows;
    int row = random.nextInt(rows);
    switch (random.nextInt(3)) {
      case 0 -> table.get().remove(row);
      case 1 -> table.get().copy(row, random.nextInt(rows + 1));
      default -> table.get().move(row, random.nextInt(rows + 1));
    }
  }

  private static void editValue(List<Column> columns, SplittableRandom random) {
    Optional<OpTable> table = OpTable.of(columns);
    if (table.isEmpty() || table.get().rows == 0) {
      return;
    }
    int row = random.nextInt(table.get().rows);
    switch (random.nextInt(12)) {
      case 0 -> table.get().setValue(row, 0, new byte[0]);
      case 1 -> table.get().setValue(row, 1 + random.nextInt(2), new byte[0]);
      case 2 -> table.get().setValue(row, 3, OpTable.uleb(random.nextInt(300)));
      case 3 -> table.get().setValue(row, 4, OpTable.sleb(random.nextInt(300) - 150));
      case 4 -> table.get().setValue(row, 5, new byte[8]);
      case 5 ->
          table
              .get()
              .setValue(row, 6, OpTable.utf8(random.nextBoolean() ? "a" : "\u00e9\ud83d\ude00"));
      case 6 -> table.get().setValue(row, 7, new byte[] {1, 2});
      case 7 -> table.get().setValue(row, 8, OpTable.sleb(random.nextInt(10) - 5));
      case 8 -> table.get().setValue(row, 9, OpTable.sleb(random.nextInt(1000)));
      case 9 -> table.get().setValue(row, 10 + random.nextInt(6), new byte[] {7});
      case 10 -> table.get().setValue(row, 4, new byte[] {(byte) 0x80, 0});
      default -> table.get().setValue(row, 6, new byte[] {(byte) 0xc3});
    }
  }

  private static void editColumns(List<Column> columns, SplittableRandom random) {
    if (columns.isEmpty()) {
      return;
    }
    int i = random.nextInt(columns.size());
    switch (random.nextInt(4)) {
      case 0 -> columns.remove(i);
      case 1 -> {
        columns.get(i).cells = null;
        columns.get(i).raw = new byte[0];
      }
      case 2 -> {
        if (i + 1 < columns.size()) {
          Collections.swap(columns, i, i + 1);
        }
      }
      default -> {
        Column column = columns.get(i);
        column.spec = column.spec ^ (1L << random.nextInt(8));
        column.cells = null;
      }
    }
  }

  private static void editList(List<byte[]> list, SplittableRandom random, int length) {
    int size = list.size();
    switch (random.nextInt(5)) {
      case 0 -> {
        if (size > 1) {
          Collections.swap(list, random.nextInt(size), random.nextInt(size));
        }
      }
      case 1 -> {
        if (size > 0) {
          list.add(random.nextInt(size + 1), list.get(random.nextInt(size)).clone());
        }
      }
      case 2 -> {
        if (size > 0) {
          list.remove(random.nextInt(size));
        }
      }
      case 3 -> {
        if (size > 0) {
          byte[] item = list.get(random.nextInt(size));
          if (item.length > 0) {
            item[random.nextInt(item.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
      }
      default -> {
        byte[] item = new byte[random.nextInt(4) == 0 ? random.nextInt(3) : length];
        random.nextBytes(item);
        list.add(random.nextInt(size + 1), item);
      }
    }
  }

  private static void editHeader(EditableChunk chunk, SplittableRandom random) {
    switch (random.nextInt(6)) {
      case 0 -> chunk.seq = Math.max(0, chunk.seq + random.nextInt(5) - 2);
      case 1 -> chunk.startOp = Math.max(0, chunk.startOp + random.nextInt(5) - 2);
      case 2 -> chunk.message = random.nextBoolean() ? new byte[] {(byte) 0xff} : new byte[0];
      case 3 -> chunk.tail = random.nextBoolean() ? new byte[] {1} : new byte[0];
      case 4 -> chunk.time = random.nextLong();
      default -> chunk.startOp = 0xffffffffL - random.nextInt(3);
    }
  }
}
