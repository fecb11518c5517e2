package dev.converge.core.internal.document;

import dev.converge.core.Action;
import dev.converge.core.ActorId;
import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * A document's ops in columns of primitives, as they are decoded: actors as indexes into the
 * document's actor list, counters as longs. Loading reads ops from here without making an object
 * per op, an id or a key; the arrays are few and large, so a young collection during a load has
 * almost nothing to copy. As a list it shows each op as a {@link DocOp}, made on demand.
 *
 * <p>Filled once by its reader, read-only afterwards.
 */
public final class DocOps extends AbstractList<DocOp> implements RandomAccess {
  private static final byte INSERT = 1;
  private static final byte EXPAND = 2;

  private final List<ActorId> actors;
  private int size;
  private int[] objActor;
  private long[] objCounter;
  private String[] keyProp;
  private int[] keyActor;
  private long[] keyCounter;
  private int[] idActor;
  private long[] idCounter;
  private byte[] flags;
  private byte[] action;
  private ScalarValue[] value;
  private String[] markName;
  private int[] succEnd;
  private int succSize;
  private int[] succActor;
  private long[] succCounter;

  DocOps(List<ActorId> actors, int capacity) {
    this(actors, capacity, capacity);
  }

  /** Room for {@code capacity} ops and {@code succCapacity} successors; both grow. */
  DocOps(List<ActorId> actors, int capacity, int succCapacity) {
    this.actors = List.copyOf(actors);
    int n = Math.max(capacity, 16);
    objActor = new int[n];
    objCounter = new long[n];
    keyProp = new String[n];
    keyActor = new int[n];
    keyCounter = new long[n];
    idActor = new int[n];
    idCounter = new long[n];
    flags = new byte[n];
    action = new byte[n];
    value = new ScalarValue[n];
    markName = new String[n];
    succEnd = new int[n];
    succActor = new int[Math.max(succCapacity, 16)];
    succCounter = new long[Math.max(succCapacity, 16)];
  }

  /** {@code ops} as columns; actors outside {@code actors} are not allowed. */
  public static DocOps of(List<DocOp> ops, List<ActorId> actors) {
    if (ops instanceof DocOps columns && columns.actors.equals(actors)) {
      return columns;
    }
    Map<ActorId, Integer> indexes = new HashMap<>();
    for (int i = 0; i < actors.size(); i++) {
      indexes.put(actors.get(i), i);
    }
    DocOps columns = new DocOps(actors, ops.size());
    for (DocOp op : ops) {
      int row = columns.size;
      columns.addRow();
      Optional<OpId> obj = op.obj().opId();
      columns.setObj(
          row,
          obj.map(id -> actorIndex(indexes, id)).orElse(-1),
          obj.map(OpId::counter).orElse(0L));
      if (op.key() instanceof Key.Prop prop) {
        columns.setPropKey(row, prop.name());
      } else {
        Optional<OpId> elem = ((Key.Elem) op.key()).elemId().opId();
        columns.setElemKey(
            row,
            elem.map(id -> actorIndex(indexes, id)).orElse(-1),
            elem.map(OpId::counter).orElse(0L));
      }
      columns.setOp(
          row,
          actorIndex(indexes, op.id()),
          op.id().counter(),
          op.insert(),
          op.action(),
          op.value(),
          op.expand(),
          op.markName().orElse(null));
      for (OpId successor : op.succ()) {
        columns.addSuccessor(actorIndex(indexes, successor), successor.counter());
      }
    }
    return columns;
  }

  private static int actorIndex(Map<ActorId, Integer> indexes, OpId id) {
    Integer index = indexes.get(id.actor());
    if (index == null) {
      throw new IllegalArgumentException("op id " + id + " has an actor outside the actor list");
    }
    return index;
  }

  /**
   * Empty columns for an exporter to fill row by row ({@link #addRow} and the setters), with actors
   * as indexes into {@code actors}; read-only once filled.
   */
  public static DocOps withCapacity(List<ActorId> actors, int capacity) {
    return new DocOps(actors, capacity);
  }

  /** Starts a new row, with no successors yet, and returns it; its fields are set next. */
  public int addRow() {
    if (size == objActor.length) {
      grow();
    }
    succEnd[size] = succSize;
    return size++;
  }

  /**
   * The row's object: the actor index and counter of the op that made it, actor -1 for the root.
   */
  public void setObj(int row, int actor, long counter) {
    objActor[row] = actor;
    objCounter[row] = counter;
  }

  public void setPropKey(int row, String prop) {
    keyProp[row] = prop;
    keyActor[row] = -1;
  }

  /** An element key; {@code actor} -1 with counter 0 is the head. */
  public void setElemKey(int row, int actor, long counter) {
    keyActor[row] = actor;
    keyCounter[row] = counter;
  }

  /** The row's own fields; {@code mark} null outside a mark begin. */
  public void setOp(
      int row,
      int actor,
      long counter,
      boolean insert,
      Action opAction,
      ScalarValue opValue,
      boolean expand,
      @Nullable String mark) {
    idActor[row] = actor;
    idCounter[row] = counter;
    flags[row] = (byte) ((insert ? INSERT : 0) | (expand ? EXPAND : 0));
    action[row] = (byte) opAction.code();
    value[row] = opValue;
    markName[row] = mark;
  }

  /** Adds a successor to the last row; successors go in ascending op ID order. */
  public void addSuccessor(int actor, long counter) {
    if (succSize == succActor.length) {
      succActor = Arrays.copyOf(succActor, succSize * 2);
      succCounter = Arrays.copyOf(succCounter, succSize * 2);
    }
    succActor[succSize] = actor;
    succCounter[succSize] = counter;
    succSize++;
    succEnd[size - 1] = succSize;
  }

  private void grow() {
    int n = objActor.length * 2;
    objActor = Arrays.copyOf(objActor, n);
    objCounter = Arrays.copyOf(objCounter, n);
    keyProp = Arrays.copyOf(keyProp, n);
    keyActor = Arrays.copyOf(keyActor, n);
    keyCounter = Arrays.copyOf(keyCounter, n);
    idActor = Arrays.copyOf(idActor, n);
    idCounter = Arrays.copyOf(idCounter, n);
    flags = Arrays.copyOf(flags, n);
    action = Arrays.copyOf(action, n);
    value = Arrays.copyOf(value, n);
    markName = Arrays.copyOf(markName, n);
    succEnd = Arrays.copyOf(succEnd, n);
  }

  /** The document's actors, which the actor indexes here refer to. */
  public List<ActorId> actors() {
    return actors;
  }

  @Override
  public int size() {
    return size;
  }

  /** The object's creating op's actor, or -1 for the root. */
  public int objActor(int row) {
    return objActor[row];
  }

  public long objCounter(int row) {
    return objCounter[row];
  }

  /** The property name, or null for an element key. */
  public @Nullable String keyProp(int row) {
    return keyProp[row];
  }

  /** The element's actor, or -1 for the head (or a property key). */
  public int keyActor(int row) {
    return keyActor[row];
  }

  public long keyCounter(int row) {
    return keyCounter[row];
  }

  public int idActor(int row) {
    return idActor[row];
  }

  public long idCounter(int row) {
    return idCounter[row];
  }

  public boolean insert(int row) {
    return (flags[row] & INSERT) != 0;
  }

  public boolean expand(int row) {
    return (flags[row] & EXPAND) != 0;
  }

  public Action action(int row) {
    return Action.fromCode(action[row]);
  }

  public ScalarValue value(int row) {
    return value[row];
  }

  /** The mark name of a mark begin, or null. */
  public @Nullable String markName(int row) {
    return markName[row];
  }

  /** The index of the row's first successor among all successors. */
  public int succFrom(int row) {
    return row == 0 ? 0 : succEnd[row - 1];
  }

  /** The index just past the row's last successor. */
  public int succTo(int row) {
    return succEnd[row];
  }

  public int succActor(int successor) {
    return succActor[successor];
  }

  public long succCounter(int successor) {
    return succCounter[successor];
  }

  @Override
  public DocOp get(int row) {
    if (row < 0 || row >= size) {
      throw new IndexOutOfBoundsException(row);
    }
    List<OpId> succ = new ArrayList<>(succTo(row) - succFrom(row));
    for (int s = succFrom(row); s < succTo(row); s++) {
      succ.add(new OpId(succCounter[s], actors.get(succActor[s])));
    }
    return new DocOp(
        objActor[row] < 0 ? ObjId.ROOT : ObjId.of(opId(objActor[row], objCounter[row])),
        key(row),
        opId(idActor[row], idCounter[row]),
        insert(row),
        action(row),
        value[row],
        succ,
        expand(row),
        Optional.ofNullable(markName[row]));
  }

  /** The row's key as a {@link Key}. */
  public Key key(int row) {
    if (keyProp[row] != null) {
      return Key.prop(keyProp[row]);
    }
    return keyActor[row] < 0
        ? Key.elem(ElemId.HEAD)
        : Key.elem(ElemId.of(opId(keyActor[row], keyCounter[row])));
  }

  /** The op id made of an actor index and a counter. */
  public OpId opId(int actor, long counter) {
    return new OpId(counter, actors.get(actor));
  }
}
