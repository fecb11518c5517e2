package dev.converge.core.internal.opset;

import dev.converge.core.Conflict;
import dev.converge.core.Cursor;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@link ReadableDocument} over an op set, now or at a past clock, counting text in one unit. */
public final class OpSetView implements ReadableDocument {
  private final OpSet opSet;
  private final @Nullable Clock clock;
  private final OpSetReader reader;

  public OpSetView(OpSet opSet, @Nullable Clock clock, TextUnit unit) {
    this.opSet = opSet;
    this.clock = clock;
    this.reader = new OpSetReader(opSet, clock, unit);
  }

  public OpSetReader reader() {
    return reader;
  }

  @Override
  public TextUnit textUnit() {
    return reader.unit();
  }

  @Override
  public OpSetView inUnit(TextUnit unit) {
    return unit == reader.unit() ? this : new OpSetView(opSet, clock, unit);
  }

  @Override
  public String text(ObjId obj, int start, int end) {
    return reader.text(obj, start, end);
  }

  @Override
  public Cursor cursor(ObjId seq, int index) {
    return new Cursor(seq, reader.elementIdAt(seq, index));
  }

  @Override
  public int cursorPosition(Cursor cursor) {
    return reader.positionOf(cursor.obj(), cursor.elem());
  }

  @Override
  public ObjType objType(ObjId obj) {
    return reader.type(obj);
  }

  @Override
  public List<Conflict> conflicts(ObjId obj, String key) {
    return reader.conflicts(obj, key);
  }

  @Override
  public List<Conflict> conflicts(ObjId obj, int index) {
    return reader.conflicts(obj, index);
  }

  @Override
  public List<String> keys(ObjId obj) {
    return reader.keys(obj);
  }

  @Override
  public int length(ObjId obj) {
    return reader.length(obj);
  }

  @Override
  public String text(ObjId obj) {
    return reader.text(obj);
  }

  @Override
  public List<Value> values(ObjId obj) {
    return reader.values(obj);
  }

  @Override
  public List<Mark> marks(ObjId obj) {
    return reader.marks(obj);
  }

  @Override
  public Object toJava(ObjId obj) {
    // An explicit stack, not recursion: nesting depth comes from peers.
    return materialize(obj, false);
  }

  @Override
  public String toJson() {
    StringBuilder json = new StringBuilder();
    writeJson(json, materialize(ObjId.ROOT, true));
    return json.toString();
  }

  private Object materialize(ObjId top, boolean forJson) {
    Object result = container(top);
    ArrayList<Object[]> stack = new ArrayList<>();
    stack.add(new Object[] {top, result});
    while (!stack.isEmpty()) {
      Object[] frame = stack.remove(stack.size() - 1);
      ObjId obj = (ObjId) frame[0];
      Object target = frame[1];
      ObjType type = reader.type(obj);
      if (type == ObjType.TEXT) {
        continue;
      }
      if (type == ObjType.MAP || type == ObjType.TABLE) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) target;
        for (String key : reader.keys(obj)) {
          List<Conflict> conflicts = reader.conflicts(obj, key);
          map.put(key, child(conflicts.get(conflicts.size() - 1).value(), stack, forJson));
        }
      } else {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) target;
        for (Value value : reader.values(obj)) {
          list.add(child(value, stack, forJson));
        }
      }
    }
    return result;
  }

  private @Nullable Object child(Value value, List<Object[]> stack, boolean forJson) {
    if (value instanceof Value.Obj obj) {
      Object container = container(obj.id());
      if (!(container instanceof String)) {
        stack.add(new Object[] {obj.id(), container});
      }
      return container;
    }
    return scalar(((Value.Scalar) value).value(), forJson);
  }

  private Object container(ObjId obj) {
    ObjType type = reader.type(obj);
    switch (type) {
      case TEXT:
        return reader.text(obj);
      case LIST:
        return new ArrayList<>();
      default:
        return new LinkedHashMap<String, Object>();
    }
  }

  private static @Nullable Object scalar(ScalarValue value, boolean forJson) {
    if (value instanceof ScalarValue.Null) {
      return null;
    } else if (value instanceof ScalarValue.Bool b) {
      return b.value();
    } else if (value instanceof ScalarValue.Int i) {
      return i.value();
    } else if (value instanceof ScalarValue.Uint u) {
      return forJson ? new UnsignedJson(u.value()) : u.value();
    } else if (value instanceof ScalarValue.F64 f) {
      return f.value();
    } else if (value instanceof ScalarValue.Str s) {
      return s.value();
    } else if (value instanceof ScalarValue.Bytes b) {
      return forJson ? Base64.getEncoder().encodeToString(b.value()) : b.value();
    } else if (value instanceof ScalarValue.Counter c) {
      return c.value();
    } else if (value instanceof ScalarValue.Timestamp t) {
      return forJson ? (Object) t.millis() : Instant.ofEpochMilli(t.millis());
    } else if (value instanceof ScalarValue.Unknown u) {
      return forJson ? Base64.getEncoder().encodeToString(u.bytes()) : u.bytes();
    }
    throw new AssertionError(value);
  }

  /** A uint that JSON prints as an unsigned decimal. */
  private record UnsignedJson(long bits) {}

  private static void writeJson(StringBuilder out, Object root) {
    ArrayList<Object> stack = new ArrayList<>();
    stack.add(root);
    while (!stack.isEmpty()) {
      Object item = stack.remove(stack.size() - 1);
      if (item instanceof RawJson raw) {
        out.append(raw.text());
      } else if (item instanceof Map<?, ?> map) {
        out.append('{');
        List<Object> parts = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          StringBuilder key = new StringBuilder(first ? "" : ",");
          writeString(key, (String) entry.getKey());
          key.append(':');
          parts.add(new RawJson(key.toString()));
          parts.add(entry.getValue());
          first = false;
        }
        parts.add(new RawJson("}"));
        pushReversed(stack, parts);
      } else if (item instanceof List<?> list) {
        out.append('[');
        List<Object> parts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            parts.add(new RawJson(","));
          }
          parts.add(list.get(i));
        }
        parts.add(new RawJson("]"));
        pushReversed(stack, parts);
      } else {
        writeScalar(out, item);
      }
    }
  }

  private record RawJson(String text) {}

  private static void pushReversed(List<Object> stack, List<Object> parts) {
    for (int i = parts.size() - 1; i >= 0; i--) {
      stack.add(parts.get(i) == null ? NullJson.INSTANCE : parts.get(i));
    }
  }

  private enum NullJson {
    INSTANCE
  }

  private static void writeScalar(StringBuilder out, Object value) {
    if (value == null || value == NullJson.INSTANCE) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof Double d) {
      out.append(JsNumbers.format(d));
    } else if (value instanceof UnsignedJson u) {
      out.append(Long.toUnsignedString(u.bits()));
    } else {
      out.append(value);
    }
  }

  static void writeString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
