package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.TextUnit;
import dev.converge.core.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Asserts that two documents hold the same value, compared object by object rather than through
 * JSON: object types, keys in order, every scalar with its type (a counter is not an int, an
 * unsigned integer not a signed one), the elements of lists and text, and the marks of text.
 */
final class SameValue {
  private record Pair(ObjId expected, ObjId actual, String path) {}

  private SameValue() {}

  static void assertSameValue(ReadableDocument expectedDocument, ReadableDocument actualDocument) {
    ReadableDocument expected = expectedDocument.inUnit(TextUnit.CODE_POINT);
    ReadableDocument actual = actualDocument.inUnit(TextUnit.CODE_POINT);
    Deque<Pair> pending = new ArrayDeque<>();
    pending.push(new Pair(ObjId.ROOT, ObjId.ROOT, ""));
    while (!pending.isEmpty()) {
      Pair pair = pending.pop();
      ObjType type = expected.objType(pair.expected());
      assertEquals(type, actual.objType(pair.actual()), "type at " + pair.path());
      if (type.isSequence()) {
        List<Value> want = expected.values(pair.expected());
        List<Value> got = actual.values(pair.actual());
        assertEquals(want.size(), got.size(), "length at " + pair.path());
        for (int i = 0; i < want.size(); i++) {
          compare(want.get(i), got.get(i), pair.path() + "/" + i, pending);
        }
        if (type == ObjType.TEXT) {
          assertEquals(
              expected.text(pair.expected()), actual.text(pair.actual()), "text " + pair.path());
          assertEquals(
              expected.marks(pair.expected()), actual.marks(pair.actual()), "marks " + pair.path());
        }
      } else {
        List<String> keys = expected.keys(pair.expected());
        assertEquals(keys, actual.keys(pair.actual()), "keys at " + pair.path());
        for (String key : keys) {
          compare(
              expected.get(pair.expected(), key).orElseThrow(),
              actual.get(pair.actual(), key).orElseThrow(),
              pair.path() + "/" + key,
              pending);
        }
      }
    }
  }

  private static void compare(Value want, Value got, String path, Deque<Pair> pending) {
    if (want instanceof Value.Scalar scalar) {
      assertEquals(scalar, got, "value at " + path);
    } else if (want instanceof Value.Obj obj && got instanceof Value.Obj other) {
      assertEquals(obj.type(), other.type(), "object type at " + path);
      pending.push(new Pair(obj.id(), other.id(), path));
    } else {
      assertEquals(want, got, "value at " + path);
    }
  }
}
