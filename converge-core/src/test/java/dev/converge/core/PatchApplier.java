package dev.converge.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Applies patches to a plain copy of a document, as a UI would: maps as {@code Map}, lists as
 * {@code List}, text as a {@link RichText} of UTF-16 units, each with the marks in force on it. The
 * reference side of the diff tests: the copy of one version, patched, must equal the other version
 * read straight from the document. Maps are sorted by key so that two copies print alike whatever
 * order their keys arrived in.
 */
final class PatchApplier {
  private PatchApplier() {}

  /** One UTF-16 unit of a text and the marks on it. */
  record Unit(char value, Map<String, ScalarValue> marks) {}

  /** A text with per-unit marks; a new unit carries no mark. */
  static final class RichText {
    final List<Unit> units = new ArrayList<>();

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      units.forEach(unit -> text.append(unit.value()));
      return text.toString();
    }

    /** Each unit's marks, in order, as one list for comparison. */
    List<Map<String, ScalarValue>> marks() {
      return units.stream().map(Unit::marks).toList();
    }
  }

  /** A copy of {@code doc}'s root: text as {@link RichText} with the document's marks. */
  static Map<String, Object> copy(ReadableDocument doc) {
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) copyObject(doc, ObjId.ROOT);
    return root;
  }

  private static Object copyObject(ReadableDocument doc, ObjId obj) {
    switch (doc.objType(obj)) {
      case TEXT:
        return richText(doc, obj);
      case LIST:
        List<Object> list = new ArrayList<>();
        for (Value value : doc.values(obj)) {
          list.add(copyValue(doc, value));
        }
        return list;
      default:
        Map<String, Object> map = new TreeMap<>();
        for (String key : doc.keys(obj)) {
          map.put(key, copyValue(doc, doc.get(obj, key).orElseThrow()));
        }
        return map;
    }
  }

  private static Object copyValue(ReadableDocument doc, Value value) {
    if (value instanceof Value.Obj obj) {
      return copyObject(doc, obj.id());
    }
    return scalar(((Value.Scalar) value).value());
  }

  /** The marks of {@code doc}'s text {@code obj}, spread over its units. */
  static RichText richText(ReadableDocument doc, ObjId obj) {
    RichText text = new RichText();
    String content = doc.text(obj);
    for (int i = 0; i < content.length(); i++) {
      text.units.add(new Unit(content.charAt(i), new TreeMap<>()));
    }
    for (Mark mark : doc.marks(obj)) {
      for (int i = mark.start(); i < mark.end(); i++) {
        text.units.get(i).marks().put(mark.name(), mark.value());
      }
    }
    return text;
  }

  /** Scalars as themselves: records, and {@code Bytes} compares by content. */
  static Object scalar(ScalarValue value) {
    return value;
  }

  private static Object fresh(Value value) {
    if (value instanceof Value.Obj obj) {
      switch (obj.type()) {
        case TEXT:
          return new RichText();
        case LIST:
          return new ArrayList<>();
        default:
          return new TreeMap<String, Object>();
      }
    }
    return scalar(((Value.Scalar) value).value());
  }

  static void apply(Map<String, Object> root, List<Patch> patches) {
    for (Patch patch : patches) {
      apply(root, patch);
    }
  }

  @SuppressWarnings("unchecked")
  private static void apply(Map<String, Object> root, Patch patch) {
    Object target = root;
    for (PathElement step : patch.path()) {
      // A patch's path names objects that earlier patches made.
      target =
          Objects.requireNonNull(
              step instanceof PathElement.Key key
                  ? ((Map<String, Object>) target).get(key.name())
                  : ((List<Object>) target).get(((PathElement.Index) step).index()),
              "patch path");
    }
    if (patch instanceof Patch.Put put) {
      if (put.at() instanceof PathElement.Key key) {
        ((Map<String, Object>) target).put(key.name(), fresh(put.value()));
      } else if (target instanceof RichText text) {
        int index = ((PathElement.Index) put.at()).index();
        text.units.set(index, new Unit('\uFFFC', new HashMap<>()));
      } else {
        ((List<Object>) target).set(((PathElement.Index) put.at()).index(), fresh(put.value()));
      }
    } else if (patch instanceof Patch.Insert insert) {
      List<Object> values = new ArrayList<>();
      insert.values().forEach(value -> values.add(fresh(value)));
      ((List<Object>) target).addAll(insert.index(), values);
    } else if (patch instanceof Patch.SpliceText splice) {
      List<Unit> inserted = new ArrayList<>();
      for (char c : splice.text().toCharArray()) {
        inserted.add(new Unit(c, new TreeMap<>()));
      }
      ((RichText) target).units.addAll(splice.index(), inserted);
    } else if (patch instanceof Patch.Delete delete) {
      List<?> list = target instanceof RichText text ? text.units : (List<?>) target;
      list.subList(delete.index(), delete.index() + delete.length()).clear();
    } else if (patch instanceof Patch.DeleteKey deleteKey) {
      ((Map<String, Object>) target).remove(deleteKey.key());
    } else if (patch instanceof Patch.Increment increment) {
      increment(target, increment);
    } else if (patch instanceof Patch.MarkSpans spans) {
      for (Mark mark : spans.marks()) {
        for (int i = mark.start(); i < mark.end(); i++) {
          Map<String, ScalarValue> marks = ((RichText) target).units.get(i).marks();
          if (mark.value() instanceof ScalarValue.Null) {
            marks.remove(mark.name());
          } else {
            marks.put(mark.name(), mark.value());
          }
        }
      }
    } else {
      throw new AssertionError(patch);
    }
  }

  @SuppressWarnings("unchecked")
  private static void increment(Object target, Patch.Increment increment) {
    if (increment.at() instanceof PathElement.Key key) {
      Map<String, Object> map = (Map<String, Object>) target;
      map.put(
          key.name(), add(Objects.requireNonNull(map.get(key.name()), "counter"), increment.by()));
    } else {
      List<Object> list = (List<Object>) target;
      int index = ((PathElement.Index) increment.at()).index();
      list.set(index, add(list.get(index), increment.by()));
    }
  }

  private static ScalarValue add(Object counter, long by) {
    return new ScalarValue.Counter(((ScalarValue.Counter) counter).value() + by);
  }
}
