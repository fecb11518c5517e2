package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.change.Json;
import dev.converge.core.internal.change.Vectors;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies the changes of every shared vector (made by JS Automerge 3.5.0, see {@code
 * shared/automerge-vectors/README.md}) and compares the resulting document with the vector's typed
 * {@code value}: every map entry, list item, text with its marks, and every conflict with its op
 * ID. Then the same changes are delivered shuffled, with duplicates, to a second replica, which
 * must reach the same value and heads.
 *
 * <p>The typed tree is rebuilt from our document in the vector's own shape and both are printed
 * canonically (keys sorted, numbers normalized) before comparing, so a failure shows a readable
 * diff.
 */
class AutomergeVectorsGoldenTest {

  static Stream<String> vectors() {
    return Vectors.vectorNames().stream();
  }

  static List<Change> changesOf(String name) {
    List<Change> changes = new ArrayList<>();
    for (Chunk chunk : Chunks.split(Vectors.vectorFile(name + ".changes"))) {
      changes.add(
          ChangeChunks.decode(
              chunk, ChangeChunks.DEFAULT_MAX_INFLATED_BYTES, ChangeChunks.DEFAULT_MAX_OPS));
    }
    return changes;
  }

  static Map<String, Object> expected(String name) {
    return Json.object(
        Json.parse(new String(Vectors.vectorFile(name + ".json"), StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void applyChanges_inFileOrder_matchesJavaScriptValue(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    Map<String, Object> expected = expected(name);
    Document doc = Document.create();
    List<Change> changes = changesOf(name);
    assertEquals(changes.size(), doc.applyChanges(changes));
    assertEquals(canonical(expected.get("value")), canonical(typed(doc, ObjId.ROOT)));
    List<String> heads = new ArrayList<>();
    doc.heads().forEach(hash -> heads.add(hash.toHex()));
    assertEquals(expected.get("heads"), heads);
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void applyChanges_shuffledWithDuplicates_convergesToSameValue(String name) {
    assumeTrue(Vectors.shared().isPresent(), "shared/ not found");
    List<Change> changes = changesOf(name);
    Random random = new Random(name.hashCode());
    List<Change> delivery = new ArrayList<>(changes);
    delivery.addAll(changes.subList(0, changes.size() / 2));
    Collections.shuffle(delivery, random);
    Document doc = Document.create();
    for (int start = 0; start < delivery.size(); start += 3) {
      doc.applyChanges(delivery.subList(start, Math.min(delivery.size(), start + 3)));
    }
    Document inOrder = Document.create();
    inOrder.applyChanges(changes);
    assertEquals(inOrder.heads(), doc.heads());
    assertEquals(canonical(typed(inOrder, ObjId.ROOT)), canonical(typed(doc, ObjId.ROOT)));
    assertEquals(List.of(), doc.missingDeps());
  }

  /** Our document in the vectors' typed shape. */
  static Object typed(ReadableDocument doc, ObjId obj) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("id", obj.toString());
    switch (doc.objType(obj)) {
      case MAP:
      case TABLE:
        {
          node.put("t", "map");
          Map<String, Object> entries = new LinkedHashMap<>();
          for (String key : doc.keys(obj)) {
            entries.put(key, slot(doc, doc.conflicts(obj, key)));
          }
          node.put("entries", entries);
          return node;
        }
      case LIST:
        {
          node.put("t", "list");
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < doc.length(obj); i++) {
            items.add(slot(doc, doc.conflicts(obj, i)));
          }
          node.put("items", items);
          return node;
        }
      case TEXT:
        {
          node.put("t", "text");
          node.put("v", doc.text(obj));
          List<Mark> marks = doc.marks(obj);
          if (!marks.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Mark mark : marks) {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", mark.name());
              m.put("start", (long) mark.start());
              m.put("end", (long) mark.end());
              m.put("value", plain(mark.value()));
              list.add(m);
            }
            node.put("marks", list);
          }
          return node;
        }
    }
    throw new AssertionError(obj);
  }

  private static Object slot(ReadableDocument doc, List<Conflict> conflicts) {
    @SuppressWarnings("unchecked")
    Map<String, Object> winner =
        (Map<String, Object>) value(doc, conflicts.get(conflicts.size() - 1).value());
    if (conflicts.size() > 1) {
      List<Object> all = new ArrayList<>();
      for (Conflict conflict : conflicts) {
        @SuppressWarnings("unchecked")
        Map<String, Object> one =
            new LinkedHashMap<>((Map<String, Object>) value(doc, conflict.value()));
        one.put("opId", conflict.opId().toString());
        all.add(one);
      }
      winner = new LinkedHashMap<>(winner);
      winner.put("conflicts", all);
    }
    return winner;
  }

  private static Object value(ReadableDocument doc, Value value) {
    if (value instanceof Value.Obj obj) {
      return typed(doc, obj.id());
    }
    ScalarValue scalar = ((Value.Scalar) value).value();
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("t", typeName(scalar));
    node.put("v", plain(scalar));
    return node;
  }

  private static String typeName(ScalarValue value) {
    if (value instanceof ScalarValue.Null) {
      return "null";
    } else if (value instanceof ScalarValue.Bool) {
      return "boolean";
    } else if (value instanceof ScalarValue.Int) {
      return "int";
    } else if (value instanceof ScalarValue.Uint) {
      return "uint";
    } else if (value instanceof ScalarValue.F64) {
      return "f64";
    } else if (value instanceof ScalarValue.Str) {
      return "str";
    } else if (value instanceof ScalarValue.Bytes) {
      return "bytes";
    } else if (value instanceof ScalarValue.Counter) {
      return "counter";
    } else if (value instanceof ScalarValue.Timestamp) {
      return "timestamp";
    }
    return "unknown";
  }

  private static Object plain(ScalarValue value) {
    if (value instanceof ScalarValue.Null) {
      return null;
    } else if (value instanceof ScalarValue.Bool b) {
      return b.value();
    } else if (value instanceof ScalarValue.Int i) {
      return i.value();
    } else if (value instanceof ScalarValue.Uint u) {
      return new BigDecimal(Long.toUnsignedString(u.value()));
    } else if (value instanceof ScalarValue.F64 f) {
      return f.value();
    } else if (value instanceof ScalarValue.Str s) {
      return s.value();
    } else if (value instanceof ScalarValue.Bytes b) {
      return HexFormat.of().formatHex(b.value());
    } else if (value instanceof ScalarValue.Counter c) {
      return c.value();
    } else if (value instanceof ScalarValue.Timestamp t) {
      return t.millis();
    }
    return value.toString();
  }

  /** Prints a tree of maps, lists and scalars with sorted keys and normalized numbers. */
  static String canonical(Object node) {
    StringBuilder out = new StringBuilder();
    write(out, node, 0);
    return out.toString();
  }

  private static void write(StringBuilder out, Object node, int depth) {
    String indent = "  ".repeat(depth);
    if (node instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, v));
      out.append("{\n");
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        out.append(indent).append("  ").append(quote(entry.getKey())).append(": ");
        write(out, entry.getValue(), depth + 1);
        out.append('\n');
      }
      out.append(indent).append('}');
    } else if (node instanceof List<?> list) {
      out.append("[\n");
      for (Object item : list) {
        out.append(indent).append("  ");
        write(out, item, depth + 1);
        out.append('\n');
      }
      out.append(indent).append(']');
    } else if (node instanceof Number number) {
      out.append(new BigDecimal(number.toString()).stripTrailingZeros().toPlainString());
    } else if (node instanceof String s) {
      out.append(quote(s));
    } else {
      out.append(node);
    }
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u{%x}", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }
}
