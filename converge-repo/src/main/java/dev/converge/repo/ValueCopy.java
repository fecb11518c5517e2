package dev.converge.repo;

import dev.converge.core.ExpandMark;
import dev.converge.core.Mark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Writes the current value of one document into a transaction on an empty one: the value a
 * compaction keeps ({@link Repo#compact}). Maps, tables, lists and text are made anew with the same
 * types; every scalar keeps its type (a counter becomes a counter holding its current total, an
 * unsigned integer stays unsigned, a timestamp a timestamp); text keeps its characters, the objects
 * inserted into it and its marks.
 *
 * <p>What the value does not hold is not copied: the values that lost a conflict (only the one a
 * reader sees is kept), the history, and the expand setting of each mark, which readers of the
 * value never see: every mark is copied with {@link ExpandMark#AFTER}, Automerge's default.
 *
 * <p>An explicit stack, not recursion: nesting depth comes from peers.
 */
final class ValueCopy {
  private record Pending(ObjId from, ObjId into, ObjType type) {}

  private ValueCopy() {}

  /** Copies {@code from}'s whole value into {@code into}, whose document must be empty. */
  static void copy(ReadableDocument from, Transaction into) {
    ReadableDocument source = from.inUnit(TextUnit.CODE_POINT);
    Transaction target = into.inUnit(TextUnit.CODE_POINT);
    Deque<Pending> pending = new ArrayDeque<>();
    pending.push(new Pending(ObjId.ROOT, ObjId.ROOT, ObjType.MAP));
    while (!pending.isEmpty()) {
      Pending next = pending.pop();
      switch (next.type()) {
        case MAP:
        case TABLE:
          copyMap(source, target, next, pending);
          break;
        case LIST:
          copySequence(source, target, next, pending);
          break;
        case TEXT:
          copySequence(source, target, next, pending);
          copyMarks(source, target, next);
          break;
        default:
          throw new AssertionError(next.type());
      }
    }
  }

  private static void copyMap(
      ReadableDocument source, Transaction target, Pending map, Deque<Pending> pending) {
    for (String key : source.keys(map.from())) {
      Value value = source.get(map.from(), key).orElseThrow();
      if (value instanceof Value.Scalar scalar) {
        target.put(map.into(), key, scalar.value());
      } else if (value instanceof Value.Obj obj) {
        ObjId made = target.putObject(map.into(), key, obj.type());
        pending.push(new Pending(obj.id(), made, obj.type()));
      } else {
        throw new AssertionError(value);
      }
    }
  }

  /**
   * Elements in order; in text, runs of characters go in one splice (each element of text is one
   * code point, which is why both sides count in code points).
   */
  private static void copySequence(
      ReadableDocument source, Transaction target, Pending sequence, Deque<Pending> pending) {
    List<Value> values = source.values(sequence.from());
    boolean text = sequence.type() == ObjType.TEXT;
    StringBuilder run = new StringBuilder();
    int index = 0;
    for (Value value : values) {
      if (text && isCharacter(value)) {
        run.append(((ScalarValue.Str) ((Value.Scalar) value).value()).value());
        continue;
      }
      index = flushRun(target, sequence.into(), index, run);
      if (value instanceof Value.Scalar scalar) {
        target.insert(sequence.into(), index, scalar.value());
      } else if (value instanceof Value.Obj obj) {
        ObjId made = target.insertObject(sequence.into(), index, obj.type());
        pending.push(new Pending(obj.id(), made, obj.type()));
      } else {
        throw new AssertionError(value);
      }
      index++;
    }
    flushRun(target, sequence.into(), index, run);
  }

  /**
   * A text element holding one code point, as every character typed is; an element holding another
   * string (which a peer may insert) is inserted as it is, so it stays one element.
   */
  private static boolean isCharacter(Value value) {
    return value instanceof Value.Scalar scalar
        && scalar.value() instanceof ScalarValue.Str str
        && str.value().codePointCount(0, str.value().length()) == 1;
  }

  private static int flushRun(Transaction target, ObjId text, int index, StringBuilder run) {
    if (run.length() == 0) {
      return index;
    }
    String characters = run.toString();
    target.splice(text, index, 0, characters);
    run.setLength(0);
    return index + characters.codePointCount(0, characters.length());
  }

  private static void copyMarks(ReadableDocument source, Transaction target, Pending text) {
    for (Mark mark : source.marks(text.from())) {
      target.mark(
          text.into(), mark.start(), mark.end(), ExpandMark.AFTER, mark.name(), mark.value());
    }
  }
}
