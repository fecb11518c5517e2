package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.converge.core.Conflict;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One object of a document as JSON, a page at a time: the inspector's tree fetches an object when
 * it is opened, so a document of any size costs one page per open node.
 *
 * <p>A map or list page: {@code {"id","type","length","from","entries":[{"key"|"index","value",
 * "conflicts"?}]}}. A text page: {@code {"id","type":"text","length","from","text","marks"}}, the
 * marks clipped to the page. A value is {@code {"type","value"}} for a scalar and {@code
 * {"type","id","length"}} for an object; 64-bit integers and floats are strings, exact in
 * JavaScript. {@code conflicts} lists every concurrent value with the op and actor that wrote it
 * ({@code "winner":true} on the greatest op, the one a plain read returns), and appears only where
 * there are two or more.
 */
final class ValueJson {
  /** Entries per page of a map or list. */
  static final int ENTRIES_PER_PAGE = 200;

  /** UTF-16 units per page of a text. */
  static final int TEXT_UNITS_PER_PAGE = 20_000;

  private ValueJson() {}

  static void object(JsonGenerator out, ReadableDocument doc, ObjId obj, int from)
      throws IOException {
    ObjType type = doc.objType(obj);
    int length = doc.length(obj);
    out.writeStartObject();
    out.writeStringField("id", obj.toString());
    out.writeStringField("type", typeName(type));
    out.writeNumberField("length", length);
    out.writeNumberField("from", Math.min(from, length));
    if (type == ObjType.TEXT) {
      text(out, doc, obj, from, length);
    } else if (type == ObjType.LIST) {
      out.writeArrayFieldStart("entries");
      List<Value> values = doc.values(obj);
      int to = Math.min(length, from + ENTRIES_PER_PAGE);
      for (int index = from; index < to; index++) {
        out.writeStartObject();
        out.writeNumberField("index", index);
        entry(out, doc, values.get(index), doc.conflicts(obj, index));
        out.writeEndObject();
      }
      out.writeEndArray();
    } else {
      out.writeArrayFieldStart("entries");
      List<String> keys = doc.keys(obj);
      int to = Math.min(keys.size(), from + ENTRIES_PER_PAGE);
      for (String key : keys.subList(Math.min(from, to), to)) {
        out.writeStartObject();
        out.writeStringField("key", key);
        entry(out, doc, doc.get(obj, key).orElseThrow(), doc.conflicts(obj, key));
        out.writeEndObject();
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private static void text(JsonGenerator out, ReadableDocument doc, ObjId obj, int from, int length)
      throws IOException {
    String text = doc.text(obj);
    int start = Math.min(from, length);
    int end = Math.min(length, start + TEXT_UNITS_PER_PAGE);
    // Never split a surrogate pair at the page's end.
    if (end < length && end > start && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    out.writeStringField("text", text.substring(start, end));
    out.writeArrayFieldStart("marks");
    for (Mark mark : doc.marks(obj)) {
      if (mark.end() <= start || mark.start() >= end) {
        continue;
      }
      out.writeStartObject();
      out.writeStringField("name", mark.name());
      out.writeFieldName("value");
      scalar(out, mark.value());
      out.writeNumberField("start", Math.max(mark.start(), start) - start);
      out.writeNumberField("end", Math.min(mark.end(), end) - start);
      out.writeEndObject();
    }
    out.writeEndArray();
  }

  private static void entry(
      JsonGenerator out, ReadableDocument doc, Value value, List<Conflict> conflicts)
      throws IOException {
    out.writeFieldName("value");
    value(out, doc, value);
    if (conflicts.size() > 1) {
      OpId winner = conflicts.stream().map(Conflict::opId).max(OpId::compareTo).orElseThrow();
      out.writeArrayFieldStart("conflicts");
      for (Conflict conflict : conflicts) {
        out.writeStartObject();
        out.writeBooleanField("winner", conflict.opId().equals(winner));
        out.writeStringField("opId", conflict.opId().toString());
        out.writeStringField("actor", conflict.opId().actor().toHex());
        out.writeFieldName("value");
        value(out, doc, conflict.value());
        out.writeEndObject();
      }
      out.writeEndArray();
    }
  }

  static void value(JsonGenerator out, ReadableDocument doc, Value value) throws IOException {
    if (value instanceof Value.Obj obj) {
      out.writeStartObject();
      out.writeStringField("type", typeName(obj.type()));
      out.writeStringField("id", obj.id().toString());
      out.writeNumberField("length", doc.length(obj.id()));
      out.writeEndObject();
    } else if (value instanceof Value.Scalar scalar) {
      scalar(out, scalar.value());
    } else {
      throw new AssertionError(value);
    }
  }

  /** A value inside a patch, where the object it names may no longer exist: no length. */
  static void patchValue(JsonGenerator out, Value value) throws IOException {
    if (value instanceof Value.Obj obj) {
      out.writeStartObject();
      out.writeStringField("type", typeName(obj.type()));
      out.writeStringField("id", obj.id().toString());
      out.writeEndObject();
    } else if (value instanceof Value.Scalar scalar) {
      scalar(out, scalar.value());
    } else {
      throw new AssertionError(value);
    }
  }

  static void scalar(JsonGenerator out, ScalarValue value) throws IOException {
    out.writeStartObject();
    if (value instanceof ScalarValue.Null) {
      out.writeStringField("type", "null");
      out.writeNullField("value");
    } else if (value instanceof ScalarValue.Bool bool) {
      out.writeStringField("type", "boolean");
      out.writeBooleanField("value", bool.value());
    } else if (value instanceof ScalarValue.Uint uint) {
      out.writeStringField("type", "uint");
      out.writeStringField("value", Long.toUnsignedString(uint.value()));
    } else if (value instanceof ScalarValue.Int integer) {
      out.writeStringField("type", "int");
      out.writeStringField("value", Long.toString(integer.value()));
    } else if (value instanceof ScalarValue.F64 f64) {
      out.writeStringField("type", "float");
      out.writeStringField("value", Double.toString(f64.value()));
    } else if (value instanceof ScalarValue.Str str) {
      out.writeStringField("type", "str");
      out.writeStringField("value", str.value());
    } else if (value instanceof ScalarValue.Bytes bytes) {
      out.writeStringField("type", "bytes");
      out.writeStringField("value", Base64.getEncoder().encodeToString(bytes.value()));
    } else if (value instanceof ScalarValue.Counter counter) {
      out.writeStringField("type", "counter");
      out.writeStringField("value", Long.toString(counter.value()));
    } else if (value instanceof ScalarValue.Timestamp timestamp) {
      out.writeStringField("type", "timestamp");
      out.writeNumberField("value", timestamp.millis());
    } else if (value instanceof ScalarValue.Unknown unknown) {
      out.writeStringField("type", "unknown");
      out.writeStringField(
          "value", unknown.typeCode() + ":" + Base64.getEncoder().encodeToString(unknown.bytes()));
    } else {
      throw new AssertionError(value);
    }
    out.writeEndObject();
  }

  static String typeName(ObjType type) {
    return type.name().toLowerCase(Locale.ROOT);
  }
}
