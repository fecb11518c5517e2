package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One column of an Automerge chunk for tests that edit files: its spec and, when its bytes decode,
 * its cells, which {@link #encode} writes back in the canonical form Automerge writes. Cells are
 * {@code Long} (or null) for group, actor, integer and value-metadata columns, the running value
 * {@code Long} (or null) for delta columns, {@code Boolean} for boolean columns and {@code String}
 * (or null) for string columns; raw value columns keep only their bytes.
 *
 * <p>Written for tests, with its own LEB128 and RLE code, so that files it makes owe nothing to the
 * codecs under test.
 */
final class Column {
  static final int GROUP = 0;
  static final int ACTOR = 1;
  static final int INTEGER = 2;
  static final int DELTA = 3;
  static final int BOOLEAN = 4;
  static final int STRING = 5;
  static final int VALUE_METADATA = 6;
  static final int VALUE = 7;

  long spec;
  byte[] raw;
  @Nullable List<Object> cells;

  Column(long spec, byte[] raw) {
    this.spec = spec;
    this.raw = raw;
    this.cells = decode(type(), raw);
  }

  Column(long spec, List<Object> cells) {
    this.spec = spec;
    this.cells = new ArrayList<>(cells);
    this.raw = encode();
  }

  /** The decoded cells, which a column has unless it is a raw value column or did not decode. */
  List<Object> cells() {
    return Objects.requireNonNull(cells, "cells of a raw column");
  }

  int id() {
    return (int) (spec >>> 4);
  }

  int type() {
    return (int) (spec & 7);
  }

  /** The column's bytes: its cells encoded if it has them, else its raw bytes. */
  byte[] encode() {
    if (cells == null) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (type() == BOOLEAN) {
      encodeBooleans(out);
    } else {
      encodeRle(out);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "Column[" + spec + (cells == null ? " raw " + raw.length + " bytes" : " " + cells) + "]";
  }

  private void encodeBooleans(ByteArrayOutputStream out) {
    boolean current = false;
    long run = 0;
    for (Object cell : cells()) {
      if ((Boolean) cell != current) {
        Leb.writeUnsigned(out, run);
        current = !current;
        run = 0;
      }
      run++;
    }
    if (run > 0) {
      Leb.writeUnsigned(out, run);
    }
  }

  /** Runs as Automerge's encoder makes them: repeats of two or more, literals, null runs. */
  private void encodeRle(ByteArrayOutputStream out) {
    List<Object> values = type() == DELTA ? deltas() : cells();
    int i = 0;
    List<Object> literal = new ArrayList<>();
    while (i < values.size()) {
      Object value = values.get(i);
      int run = 1;
      while (i + run < values.size() && Objects.equals(values.get(i + run), value)) {
        run++;
      }
      if (value == null) {
        flushLiteral(out, literal);
        Leb.writeSigned(out, 0);
        Leb.writeUnsigned(out, run);
      } else if (run >= 2) {
        flushLiteral(out, literal);
        Leb.writeSigned(out, run);
        writeValue(out, value);
      } else {
        literal.add(value);
      }
      i += run;
    }
    flushLiteral(out, literal);
  }

  private void flushLiteral(ByteArrayOutputStream out, List<Object> literal) {
    if (literal.isEmpty()) {
      return;
    }
    Leb.writeSigned(out, -literal.size());
    for (Object value : literal) {
      writeValue(out, value);
    }
    literal.clear();
  }

  private List<Object> deltas() {
    List<Object> deltas = new ArrayList<>(cells().size());
    long previous = 0;
    for (Object cell : cells()) {
      if (cell == null) {
        deltas.add(null);
      } else {
        long value = (Long) cell;
        deltas.add(value - previous);
        previous = value;
      }
    }
    return deltas;
  }

  private void writeValue(ByteArrayOutputStream out, Object value) {
    switch (type()) {
      case DELTA -> Leb.writeSigned(out, (Long) value);
      case STRING -> {
        byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
        Leb.writeUnsigned(out, utf8.length);
        out.writeBytes(utf8);
      }
      default -> Leb.writeUnsigned(out, (Long) value);
    }
  }

  /** The cells of {@code raw}, or null if it is a raw value column or does not decode. */
  static @Nullable List<Object> decode(int type, byte[] raw) {
    if (type == VALUE) {
      return null;
    }
    try {
      Leb.Reader reader = new Leb.Reader(raw);
      List<Object> cells = new ArrayList<>();
      if (type == BOOLEAN) {
        boolean value = false;
        while (reader.hasMore()) {
          long run = reader.unsigned();
          if (run > 1 << 20 || cells.size() + run > 1 << 20) {
            return null;
          }
          for (long i = 0; i < run; i++) {
            cells.add(value);
          }
          value = !value;
        }
        return cells;
      }
      long running = 0;
      while (reader.hasMore()) {
        long count = reader.signed();
        if (Math.abs(count) > 1 << 20 || cells.size() + Math.abs(count) > 1 << 20) {
          return null;
        }
        if (count == 0) {
          long nulls = reader.unsigned();
          if (nulls > 1 << 20) {
            return null;
          }
          for (long i = 0; i < nulls; i++) {
            cells.add(null);
          }
          continue;
        }
        int values = count < 0 ? (int) -count : 1;
        int repeat = count < 0 ? 1 : (int) count;
        for (int v = 0; v < values; v++) {
          Object value = readValue(type, reader);
          for (int r = 0; r < repeat; r++) {
            if (type == DELTA) {
              running += (Long) value;
              cells.add(running);
            } else {
              cells.add(value);
            }
          }
        }
      }
      return cells;
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
  }

  private static Object readValue(int type, Leb.Reader reader) throws CharacterCodingException {
    return switch (type) {
      case DELTA -> reader.signed();
      case STRING -> {
        long length = reader.unsigned();
        byte[] bytes = reader.bytes(length);
        yield StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      }
      default -> reader.unsigned();
    };
  }
}
