package dev.converge.core;

import java.util.List;

/**
 * A document's whole visible value as one string, for comparing states exactly: object types, every
 * scalar with its type (counters with their totals), text with its marks. Keys come in Automerge's
 * order, so two equal values print equal.
 */
final class UndoSnapshot {
  private UndoSnapshot() {}

  static String of(ReadableDocument doc) {
    StringBuilder out = new StringBuilder();
    write(doc, ObjId.ROOT, out);
    return out.toString();
  }

  private static void write(ReadableDocument doc, ObjId obj, StringBuilder out) {
    ObjType type = doc.objType(obj);
    if (type == ObjType.TEXT) {
      out.append("text(").append(doc.text(obj)).append(' ').append(doc.marks(obj)).append(')');
    } else if (type == ObjType.LIST) {
      out.append('[');
      List<Value> values = doc.values(obj);
      for (Value value : values) {
        write(doc, value, out);
        out.append(',');
      }
      out.append(']');
    } else {
      out.append(type == ObjType.MAP ? "{" : "table{");
      for (String key : doc.keys(obj)) {
        out.append(key).append('=');
        write(doc, doc.get(obj, key).orElseThrow(), out);
        out.append(',');
      }
      out.append('}');
    }
  }

  private static void write(ReadableDocument doc, Value value, StringBuilder out) {
    if (value instanceof Value.Obj object) {
      write(doc, object.id(), out);
    } else {
      out.append(((Value.Scalar) value).value());
    }
  }
}
