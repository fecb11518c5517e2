package dev.converge.core.model;

import dev.converge.core.Conflict;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import java.util.List;
import java.util.TreeSet;

/**
 * What a reader sees in a document, as one string: every object reachable from the root through any
 * visible value, winners and conflicts alike, and at each map key or sequence element every visible
 * value with its op ID, in the order the reader gives them (op ID order, the winner last). An
 * engine {@link ReadableDocument} and a model state render alike, so equal strings mean equal
 * values and equal conflicts. Map keys are listed in {@link String} order on both sides: their
 * order is a matter of presentation, checked elsewhere.
 */
final class VisibleTree {
  private VisibleTree() {}

  static String of(ReadableDocument doc) {
    StringBuilder out = new StringBuilder();
    render(doc, ObjId.ROOT, ObjType.MAP, out);
    return out.toString();
  }

  static String of(List<OpSetModel.Entry> state) {
    StringBuilder out = new StringBuilder();
    render(state, ObjId.ROOT, ObjType.MAP, out);
    return out.toString();
  }

  private static void render(ReadableDocument doc, ObjId obj, ObjType type, StringBuilder out) {
    if (type == ObjType.MAP || type == ObjType.TABLE) {
      out.append('{');
      for (String key : new TreeSet<>(doc.keys(obj))) {
        out.append(key).append('=');
        renderConflicts(doc, doc.conflicts(obj, key), out);
      }
      out.append('}');
      return;
    }
    out.append('[');
    int length = doc.length(obj);
    for (int index = 0; index < length; ) {
      List<Conflict> conflicts = doc.conflicts(obj, index);
      renderConflicts(doc, conflicts, out);
      // A text index counts UTF-16 code units: step over the winning character.
      Value winner = conflicts.get(conflicts.size() - 1).value();
      index +=
          type == ObjType.TEXT
                  && winner instanceof Value.Scalar scalar
                  && scalar.value() instanceof ScalarValue.Str str
              ? str.value().length()
              : 1;
    }
    out.append(']');
  }

  private static void renderConflicts(
      ReadableDocument doc, List<Conflict> conflicts, StringBuilder out) {
    out.append('(');
    for (Conflict conflict : conflicts) {
      out.append(conflict.opId()).append(':');
      if (conflict.value() instanceof Value.Obj obj) {
        out.append(obj.type());
        render(doc, obj.id(), obj.type(), out);
      } else {
        renderScalar(((Value.Scalar) conflict.value()).value(), out);
      }
      out.append(' ');
    }
    out.append(')');
  }

  private static void render(
      List<OpSetModel.Entry> state, ObjId obj, ObjType type, StringBuilder out) {
    if (type == ObjType.MAP || type == ObjType.TABLE) {
      out.append('{');
      for (String key : new TreeSet<>(OpSetModel.propKeys(state, obj))) {
        out.append(key).append('=');
        renderConflicts(state, OpSetModel.valuesAt(state, obj, Key.prop(key)), out);
      }
      out.append('}');
      return;
    }
    out.append('[');
    for (var element : OpSetModel.elements(state, obj)) {
      renderConflicts(state, OpSetModel.valuesAt(state, obj, Key.elem(ElemId.of(element))), out);
    }
    out.append(']');
  }

  private static void renderConflicts(
      List<OpSetModel.Entry> state, List<OpSetModel.Entry> values, StringBuilder out) {
    out.append('(');
    for (OpSetModel.Entry value : values) {
      out.append(value.id()).append(':');
      if (value.action() instanceof OpSetModel.Make make) {
        out.append(make.type());
        render(state, ObjId.of(value.id()), make.type(), out);
      } else {
        ScalarValue scalar = ((OpSetModel.Put) value.action()).value();
        if (scalar instanceof ScalarValue.Counter) {
          scalar = new ScalarValue.Counter(OpSetModel.counterTotal(value).orElseThrow());
        }
        renderScalar(scalar, out);
      }
      out.append(' ');
    }
    out.append(')');
  }

  private static void renderScalar(ScalarValue value, StringBuilder out) {
    out.append(value);
  }
}
