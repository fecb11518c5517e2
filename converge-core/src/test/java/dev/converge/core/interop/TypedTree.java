package dev.converge.core.interop;

import dev.converge.core.Conflict;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A document as the typed tree of {@code shared/automerge-vectors/vec-*.json} {@code value} (and of
 * {@code interop/typed.mjs}): maps {@code {t:"map",id,entries}}, lists {@code {t:"list",id,items}},
 * text {@code {t:"text",id,v,marks?}}, scalars {@code {t,v}} with bytes as hex and timestamps as
 * epoch milliseconds, and {@code conflicts:[{opId,...}]} on a slot with concurrent values, the
 * winner being the slot's own value. Ported from {@code AutomergeVectorsGoldenTest}, which keeps
 * its own copy.
 *
 * <p>{@link #canonical} prints such a tree, from either side, with sorted keys and numbers in one
 * form: integers exact, and every {@code f64} (and every non-integer number) as the exact decimal
 * expansion of its double, so JavaScript's shortest printing and Java's agree.
 */
public final class TypedTree {
  private TypedTree() {}

  /** The typed tree of the whole document. */
  public static Object of(ReadableDocument doc) {
    return typed(doc, ObjId.ROOT);
  }

  private static Object typed(ReadableDocument doc, ObjId obj) {
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
    Map<String, Object> winner =
        new LinkedHashMap<>(value(doc, conflicts.get(conflicts.size() - 1).value()));
    if (conflicts.size() > 1) {
      List<Object> all = new ArrayList<>();
      for (Conflict conflict : conflicts) {
        Map<String, Object> one = new LinkedHashMap<>(value(doc, conflict.value()));
        one.put("opId", conflict.opId().toString());
        all.add(one);
      }
      winner.put("conflicts", all);
    }
    return winner;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> value(ReadableDocument doc, Value value) {
    if (value instanceof Value.Obj obj) {
      return (Map<String, Object>) typed(doc, obj.id());
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
    // JavaScript names an unknown value by its type code.
    return "unknown" + value.typeCode();
  }

  private static @Nullable Object plain(ScalarValue value) {
    if (value instanceof ScalarValue.Null) {
      return null;
    } else if (value instanceof ScalarValue.Bool b) {
      return b.value();
    } else if (value instanceof ScalarValue.Int i) {
      return i.value();
    } else if (value instanceof ScalarValue.Uint u) {
      return new BigInteger(Long.toUnsignedString(u.value()));
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
    if (value instanceof ScalarValue.Unknown u) {
      return HexFormat.of().formatHex(u.bytes());
    }
    return value.toString();
  }

  /** Prints a typed tree with sorted keys and normalized numbers, one value per line. */
  public static String canonical(@Nullable Object node) {
    StringBuilder out = new StringBuilder();
    write(out, node, 0, false);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object node, int depth, boolean f64) {
    String indent = "  ".repeat(depth);
    if (node instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put((String) k, v));
      boolean isF64 = "f64".equals(map.get("t"));
      out.append("{\n");
      for (Map.Entry<String, Object> entry : sorted.entrySet()) {
        out.append(indent).append("  ").append(quote(entry.getKey())).append(": ");
        write(out, entry.getValue(), depth + 1, isF64 && entry.getKey().equals("v"));
        out.append('\n');
      }
      out.append(indent).append('}');
    } else if (node instanceof List<?> list) {
      out.append("[\n");
      for (Object item : list) {
        out.append(indent).append("  ");
        write(out, item, depth + 1, false);
        out.append('\n');
      }
      out.append(indent).append(']');
    } else if (node instanceof Number number) {
      out.append(number(number, f64));
    } else if (node instanceof String s) {
      out.append(quote(s));
    } else {
      out.append(node);
    }
  }

  /**
   * A number in one form: a double (any f64, or any non-integer) as the exact decimal value of the
   * double, an integer as its exact digits.
   */
  private static String number(Number number, boolean f64) {
    if (f64 || number instanceof Double || number instanceof Float) {
      double value = number instanceof BigInteger big ? big.doubleValue() : number.doubleValue();
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        return Double.toString(value);
      }
      return new BigDecimal(value).stripTrailingZeros().toPlainString();
    }
    return new BigDecimal(number.toString()).toPlainString();
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
