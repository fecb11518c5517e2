package dev.converge.core.internal.change;

import static dev.converge.core.internal.change.ChangeColumnReader.EXHAUSTED;
import static dev.converge.core.internal.change.ChangeColumnReader.VALUE;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeOp;
import dev.converge.core.CorruptDataException;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.LimitExceededException;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.UnsupportedFormatException;
import dev.converge.core.internal.change.ChangeColumnReader.Kind;
import dev.converge.core.internal.codec.ColumnLayout;
import dev.converge.core.internal.codec.ColumnType;
import dev.converge.core.internal.codec.RawColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a change chunk's ops from its op columns as JavaScript Automerge 3.5 does.
 *
 * <p>Columns: the last column of each (id, type) counts; a pred group holds either nothing or an
 * actor (or integer) column and a delta column; unknown columns are ignored. The action column
 * decides how many ops there are (none without it); every other column read for an op must have a
 * row for it, and rows past the last op are ignored. Per op: no obj columns, or a null obj, or an
 * obj counter of 0 is the root; a key is a property, or an element whose counter 0 means the head;
 * the insert flag, action, value and pred count must not be null; a value's metadata gives its type
 * and length (null and booleans take no raw bytes, whatever the length says), and LEB values must
 * be minimal and fill their length; counters must fit 32 bits; actor indexes are taken modulo 2^32
 * (JavaScript's 32-bit build truncates them) and must name actors of the change. A pred with
 * counter 0 names no op and is dropped. Not thread-safe.
 */
final class ChangeOpReader {
  private static final ChangeColumnReader NONE =
      new ChangeColumnReader(new byte[0], 0, 0, "none", Kind.UNSIGNED);

  private final byte[] data;
  private final ActorId[] actors;
  private ChangeColumnReader objActor = NONE;
  private ChangeColumnReader objCounter = NONE;
  private ChangeColumnReader keyActor = NONE;
  private ChangeColumnReader keyCounter = NONE;
  private ChangeColumnReader keyString = NONE;
  private ChangeColumnReader insert = NONE;
  private ChangeColumnReader action = NONE;
  private ChangeColumnReader valueMeta = NONE;
  private ChangeColumnReader valueRaw = NONE;
  private ChangeColumnReader predCount = NONE;
  private ChangeColumnReader predActor = NONE;
  private ChangeColumnReader predCounter = NONE;
  private ChangeColumnReader expand = NONE;
  private ChangeColumnReader markName = NONE;
  private long keyRunning;
  private long predRunning;
  private long preds;
  private int row;

  private ChangeOpReader(byte[] data, ActorId[] actors) {
    this.data = data;
    this.actors = actors;
  }

  /**
   * The ops of a change.
   *
   * @param dataStart where the column data starts in {@code data}
   * @param actors the author, then the other actors
   * @throws CorruptDataException for ops JavaScript refuses
   * @throws UnsupportedFormatException for an unknown action
   * @throws LimitExceededException for more than {@code opsMax} ops or preds
   */
  static List<ChangeOp> read(
      byte[] data,
      int dataStart,
      List<RawColumn> columns,
      ActorId[] actors,
      long startOp,
      int opsMax) {
    ChangeOpReader reader = new ChangeOpReader(data, actors);
    for (ColumnLayout.Logical column : ColumnLayout.of(columns, "change op columns")) {
      reader.assign(column, dataStart);
    }
    List<ChangeOp> ops = new ArrayList<>(Math.min(16, opsMax));
    while (!reader.action.isDone()) {
      if (ops.size() >= opsMax) {
        throw new LimitExceededException("change has more than " + opsMax + " ops");
      }
      if (startOp + ops.size() > OpColumns.COUNTER_MAX) {
        throw new CorruptDataException(
            "counter too large: op " + ops.size() + " of a change starting at " + startOp);
      }
      ops.add(reader.readOp(opsMax));
      reader.row++;
    }
    return ops;
  }

  private void assign(ColumnLayout.Logical logical, int dataStart) {
    int id = logical.spec().id();
    ColumnType type = logical.spec().type();
    if (id == OpColumns.OBJ && type == ColumnType.ACTOR) {
      objActor = open(logical.column(), dataStart, "obj actor", Kind.UNSIGNED);
    } else if (id == OpColumns.OBJ && type == ColumnType.INTEGER) {
      objCounter = open(logical.column(), dataStart, "obj counter", Kind.UNSIGNED);
    } else if (id == OpColumns.KEY && type == ColumnType.ACTOR) {
      keyActor = open(logical.column(), dataStart, "key actor", Kind.UNSIGNED);
    } else if (id == OpColumns.KEY && type == ColumnType.DELTA) {
      keyCounter = open(logical.column(), dataStart, "key counter", Kind.SIGNED);
    } else if (id == OpColumns.KEY && type == ColumnType.STRING) {
      keyString = open(logical.column(), dataStart, "key string", Kind.STRING);
    } else if (id == OpColumns.INSERT && type == ColumnType.BOOLEAN) {
      insert = open(logical.column(), dataStart, "insert", Kind.UNSIGNED);
    } else if (id == OpColumns.ACTION && type == ColumnType.INTEGER) {
      action = open(logical.column(), dataStart, "action", Kind.UNSIGNED);
    } else if (id == OpColumns.VALUE && type == ColumnType.VALUE_METADATA) {
      valueMeta = open(logical.column(), dataStart, "value metadata", Kind.UNSIGNED);
      valueRaw =
          logical.raw() == null ? NONE : open(logical.raw(), dataStart, "value", Kind.UNSIGNED);
    } else if (id == OpColumns.PRED && type == ColumnType.GROUP) {
      assignPreds(logical, dataStart);
    } else if (id == OpColumns.EXPAND && type == ColumnType.BOOLEAN) {
      expand = open(logical.column(), dataStart, "expand", Kind.UNSIGNED);
    } else if (id == OpColumns.MARK_NAME && type == ColumnType.STRING) {
      markName = open(logical.column(), dataStart, "mark name", Kind.STRING);
    }
  }

  private void assignPreds(ColumnLayout.Logical group, int dataStart) {
    List<ColumnLayout.Logical> members = group.grouped();
    predCount = open(group.column(), dataStart, "pred count", Kind.UNSIGNED);
    if (members.isEmpty()) {
      predActor = NONE;
      predCounter = NONE;
      return;
    }
    ColumnType first = members.get(0).spec().type();
    if (members.size() != 2
        || members.get(0).raw() != null
        || (first != ColumnType.ACTOR && first != ColumnType.INTEGER)
        || members.get(1).spec().type() != ColumnType.DELTA) {
      throw new CorruptDataException(
          "change op columns: the pred group holds " + members.size() + " unexpected columns");
    }
    predActor = open(members.get(0).column(), dataStart, "pred actor", Kind.UNSIGNED);
    predCounter = open(members.get(1).column(), dataStart, "pred counter", Kind.SIGNED);
  }

  private ChangeColumnReader open(RawColumn column, int dataStart, String name, Kind kind) {
    return new ChangeColumnReader(data, dataStart + column.offset(), column.length(), name, kind);
  }

  private ChangeOp readOp(int opsMax) {
    ObjId obj = readObj();
    Key key = readKey();
    int isInsert = insert.nextBoolean();
    if (isInsert == EXHAUSTED) {
      throw unexpectedNull("insert");
    }
    if (action.next() != VALUE) {
      throw unexpectedNull("action");
    }
    long code = action.longValue();
    ScalarValue value = ChangeValues.read(valueMeta, valueRaw, row);
    List<OpId> pred = readPreds(opsMax);
    boolean isExpand = !expand.isEmpty() && expand.nextBoolean() == 1;
    Optional<String> name =
        markName.next() == VALUE ? Optional.of(markName.stringValue()) : Optional.empty();
    if (code < 0 || code > 7) {
      throw new UnsupportedFormatException(
          "unrecognized action index " + Long.toUnsignedString(code) + " at op " + row);
    }
    Action opAction = Action.fromCode(code);
    if (opAction == Action.INCREMENT
        && !(value instanceof ScalarValue.Int || value instanceof ScalarValue.Uint)) {
      throw new CorruptDataException("non numeric argument for inc op at op " + row);
    }
    return new ChangeOp(obj, key, isInsert == 1, opAction, value, pred, isExpand, name);
  }

  private ObjId readObj() {
    if (objActor.isEmpty() || objCounter.isEmpty()) {
      return ObjId.ROOT;
    }
    boolean hasActor = objActor.next() == VALUE;
    boolean hasCounter = objCounter.next() == VALUE;
    if (hasActor && hasCounter) {
      long counter = counter(objCounter.longValue(), "obj");
      int actor = actorIndex(objActor.longValue());
      // A counter of 0 is the root, whatever its actor, which is then never looked up.
      return counter == 0 ? ObjId.ROOT : ObjId.of(new OpId(counter, actorOf(actor, "obj")));
    }
    if (hasCounter && objCounter.longValue() == 0) {
      return ObjId.ROOT;
    }
    if (!hasActor && !hasCounter) {
      return ObjId.ROOT;
    }
    throw unexpectedNull(hasActor ? "obj counter" : "obj actor");
  }

  private Key readKey() {
    boolean hasActor = keyActor.next() == VALUE;
    boolean hasCounter = keyCounter.next() == VALUE;
    if (hasCounter) {
      keyRunning = saturatingAdd(keyRunning, keyCounter.longValue());
    }
    boolean hasString = keyString.next() == VALUE;
    if (hasActor && hasCounter && hasString) {
      throw new CorruptDataException("key at op " + row + " has too many values");
    }
    if (!hasActor && !hasCounter && hasString) {
      return Key.prop(keyString.stringValue());
    }
    if (!hasActor && hasCounter && keyRunning == 0 && !hasString) {
      return Key.elem(ElemId.HEAD);
    }
    if (hasActor && hasCounter && !hasString) {
      if (keyRunning < 0) {
        throw new CorruptDataException("key at op " + row + ": negative value for counter");
      }
      long counter = counter(keyRunning, "key");
      ActorId actor = actorOf(actorIndex(keyActor.longValue()), "key");
      // JavaScript puts an element of counter 0 at the head, whatever its actor.
      return Key.elem(counter == 0 ? ElemId.HEAD : ElemId.of(new OpId(counter, actor)));
    }
    if (!hasActor && !hasCounter) {
      throw unexpectedNull("key");
    }
    throw unexpectedNull(hasActor ? "key counter" : "key actor");
  }

  private List<OpId> readPreds(int opsMax) {
    int state = predCount.next();
    if (state != VALUE) {
      throw unexpectedNull("pred");
    }
    long count = predCount.longValue();
    if (count == 0) {
      return List.of();
    }
    List<OpId> pred = new ArrayList<>((int) Math.min(count, 16));
    for (long i = 0; i != count; i++) {
      if (++preds > opsMax) {
        throw new LimitExceededException("change has more than " + opsMax + " preds");
      }
      boolean hasActor = predActor.next() == VALUE;
      boolean hasCounter = predCounter.next() == VALUE;
      if (hasCounter) {
        predRunning = saturatingAdd(predRunning, predCounter.longValue());
      }
      if (!hasActor) {
        throw unexpectedNull("pred actor");
      }
      if (!hasCounter) {
        throw unexpectedNull("pred counter");
      }
      if (predRunning < 0) {
        throw new CorruptDataException("pred at op " + row + ": negative value for counter");
      }
      long counter = counter(predRunning, "pred");
      ActorId actor = actorOf(actorIndex(predActor.longValue()), "pred");
      if (counter != 0) {
        pred.add(new OpId(counter, actor));
      }
    }
    return pred;
  }

  /** A counter as JavaScript's op IDs hold it: 32 bits. */
  private long counter(long counter, String what) {
    if (counter < 0 || counter > OpColumns.COUNTER_MAX) {
      throw new CorruptDataException(
          "counter too large: "
              + what
              + " counter "
              + Long.toUnsignedString(counter)
              + " at op "
              + row);
    }
    return counter;
  }

  /**
   * An actor index as JavaScript's 32-bit build takes it from a column: its low 32 bits (a larger
   * index wraps instead of failing).
   */
  private static int actorIndex(long index) {
    long truncated = index & 0xffff_ffffL;
    return truncated > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) truncated;
  }

  private ActorId actorOf(int index, String what) {
    if (index >= actors.length) {
      throw new CorruptDataException(
          "invalid actor index "
              + index
              + " in "
              + what
              + " at op "
              + row
              + " ("
              + actors.length
              + " actors)");
    }
    return actors[index];
  }

  private CorruptDataException unexpectedNull(String column) {
    return new CorruptDataException("unexpected null in column " + column + " at op " + row);
  }

  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }
}
