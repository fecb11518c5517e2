package dev.converge.core.model;

import dev.converge.core.ElemId;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The proven model of the op set, {@code proofs/Model.v}, transcribed definition by definition so
 * that tests can run it beside the engine. Each method names the Coq definition it transcribes and
 * computes the same function: a Coq recursion over a list is a loop over it here, Coq's {@code
 * None} is an empty {@link Optional}, and every value is immutable (each step returns a new state).
 * Change one, change the other.
 *
 * <p>The data of the Coq model map to the engine's public types: {@code opid} is {@link OpId},
 * {@code objid} is {@link ObjId}, {@code key} is {@link Key} ({@code KHead} is the element key
 * {@link ElemId#HEAD}), a scalar is a {@link ScalarValue} ({@code SCounter} is {@link
 * ScalarValue.Counter}; every other scalar is opaque to the model, as {@code SOther} is). Equality
 * of these is the Coq model's {@code id_eqb}, {@code objid_eqb} and {@code key_eqb}. The order of
 * op IDs, {@link #idGtb}, is written out here rather than taken from {@link OpId#compareTo}, so
 * that the engine's order is checked against the model's, not assumed.
 */
final class OpSetModel {
  private OpSetModel() {}

  /** Coq: {@code action}. */
  sealed interface Action permits Make, Put, Del, Inc {}

  record Make(ObjType type) implements Action {}

  record Put(ScalarValue value) implements Action {}

  record Del() implements Action {}

  record Inc(long by) implements Action {}

  /** Coq: {@code op}. */
  record Op(OpId id, ObjId obj, Key key, boolean insert, Action action, List<OpId> pred) {
    Op {
      pred = List.copyOf(pred);
    }
  }

  /** Coq: {@code entry}; an increment in {@code incs} is Coq's pair {@code (opid * Z)}. */
  record Entry(
      OpId id,
      ObjId obj,
      Key key,
      Action action,
      List<OpId> succ,
      List<Increment> incs,
      List<OpId> elems) {

    /** Coq: {@code with_succ}. */
    Entry withSucc(List<OpId> newSucc) {
      return new Entry(id, obj, key, action, newSucc, incs, elems);
    }

    /** Coq: {@code with_incs}. */
    Entry withIncs(List<Increment> newIncs) {
      return new Entry(id, obj, key, action, succ, newIncs, elems);
    }

    /** Coq: {@code with_elems}. */
    Entry withElems(List<OpId> newElems) {
      return new Entry(id, obj, key, action, succ, incs, newElems);
    }
  }

  record Increment(OpId id, long by) {}

  /** Coq: {@code effect}; {@code ef_place} is a {@link Place}. */
  record Effect(
      OpId id,
      ObjId obj,
      Key key,
      List<OpId> preds,
      Optional<Long> inc,
      Optional<Place> place,
      Optional<Action> store) {}

  record Place(OpId seq, Optional<OpId> ref) {}

  /** Coq: {@code replica}. */
  record Replica(List<OpId> applied, List<Entry> ops) {
    /** Coq: {@code empty}. */
    static final Replica EMPTY = new Replica(List.of(), List.of());
  }

  /** Coq: {@code id_gtb}: counter first, then actor bytes, unsigned, lexicographic. */
  static boolean idGtb(OpId a, OpId b) {
    if (a.counter() != b.counter()) {
      return a.counter() > b.counter();
    }
    return Arrays.compareUnsigned(a.actor().toBytes(), b.actor().toBytes()) > 0;
  }

  /** Coq: {@code refs}. */
  static List<OpId> refs(Op o) {
    List<OpId> refs = new ArrayList<>();
    o.obj().opId().ifPresent(refs::add);
    if (o.key() instanceof Key.Elem elem) {
      elem.elemId().opId().ifPresent(refs::add);
    }
    refs.addAll(o.pred());
    return refs;
  }

  /** Coq: {@code ord_insert}. */
  static <A> List<A> ordInsert(Function<A, OpId> k, A a, List<A> l) {
    List<A> result = new ArrayList<>(l.size() + 1);
    int i = 0;
    while (i < l.size() && !idGtb(k.apply(l.get(i)), k.apply(a))) {
      result.add(l.get(i));
      i++;
    }
    result.add(a);
    result.addAll(l.subList(i, l.size()));
    return List.copyOf(result);
  }

  /** Coq: {@code set_add}. */
  static List<OpId> setAdd(OpId a, List<OpId> l) {
    for (int i = 0; i < l.size(); i++) {
      OpId x = l.get(i);
      if (x.equals(a)) {
        return l;
      }
      if (idGtb(x, a)) {
        return insertAt(l, i, a);
      }
    }
    return insertAt(l, l.size(), a);
  }

  /** Coq: {@code rga_place}. */
  static List<OpId> rgaPlace(OpId e, List<OpId> l) {
    int i = 0;
    while (i < l.size() && idGtb(l.get(i), e)) {
      i++;
    }
    return insertAt(l, i, e);
  }

  /** Coq: {@code rga_after}. */
  static Optional<List<OpId>> rgaAfter(OpId r, OpId e, List<OpId> l) {
    int at = l.indexOf(r);
    if (at < 0) {
      return Optional.empty();
    }
    List<OpId> result = new ArrayList<>(l.subList(0, at + 1));
    result.addAll(rgaPlace(e, l.subList(at + 1, l.size())));
    return Optional.of(List.copyOf(result));
  }

  /** Coq: {@code rga_insert}. */
  static Optional<List<OpId>> rgaInsert(Optional<OpId> ref, OpId e, List<OpId> l) {
    return ref.isEmpty() ? Optional.of(rgaPlace(e, l)) : rgaAfter(ref.get(), e, l);
  }

  /** Coq: {@code lookup}. */
  static Optional<Entry> lookup(OpId i, List<Entry> s) {
    for (Entry en : s) {
      if (en.id().equals(i)) {
        return Optional.of(en);
      }
    }
    return Optional.empty();
  }

  /** Coq: {@code update_first}. */
  static Optional<List<Entry>> updateFirst(
      OpId i, Function<Entry, Optional<Entry>> f, List<Entry> s) {
    for (int at = 0; at < s.size(); at++) {
      if (s.get(at).id().equals(i)) {
        int index = at;
        return f.apply(s.get(at))
            .map(
                en -> {
                  List<Entry> result = new ArrayList<>(s);
                  result.set(index, en);
                  return List.copyOf(result);
                });
      }
    }
    return Optional.empty();
  }

  /** Coq: {@code obj_type}. */
  static Optional<ObjType> objType(List<Entry> s, ObjId o) {
    if (o.isRoot()) {
      return Optional.of(ObjType.MAP);
    }
    return lookup(o.opId().orElseThrow(), s)
        .flatMap(
            en -> en.action() instanceof Make make ? Optional.of(make.type()) : Optional.empty());
  }

  /** Coq: {@code has_elem}. */
  static boolean hasElem(List<Entry> s, ObjId o, OpId r) {
    if (o.isRoot()) {
      return false;
    }
    return lookup(o.opId().orElseThrow(), s).map(en -> en.elems().contains(r)).orElse(false);
  }

  /** Coq: {@code is_seq}. */
  static boolean isSeq(ObjType t) {
    return t == ObjType.LIST || t == ObjType.TEXT;
  }

  /** Coq: {@code link}. */
  static Entry link(Effect f, Entry en) {
    if (en.obj().equals(f.obj()) && en.key().equals(f.key()) && f.preds().contains(en.id())) {
      if (f.inc().isPresent()
          && en.action() instanceof Put put
          && put.value() instanceof ScalarValue.Counter) {
        return en.withIncs(
            ordInsert(Increment::id, new Increment(f.id(), f.inc().get()), en.incs()));
      }
      return en.withSucc(setAdd(f.id(), en.succ()));
    }
    return en;
  }

  /** Coq: {@code new_entry}. */
  static Entry newEntry(Effect f, Action a) {
    return new Entry(f.id(), f.obj(), f.key(), a, List.of(), List.of(), List.of());
  }

  /** Coq: {@code place_elem}. */
  static Optional<Entry> placeElem(Optional<OpId> ref, OpId e, Entry en) {
    return rgaInsert(ref, e, en.elems()).map(en::withElems);
  }

  /** Coq: {@code place}. */
  static Optional<List<Entry>> place(Effect f, List<Entry> s) {
    if (f.place().isEmpty()) {
      return Optional.of(s);
    }
    Place p = f.place().get();
    return updateFirst(p.seq(), en -> placeElem(p.ref(), f.id(), en), s);
  }

  /** Coq: {@code post}. */
  static List<Entry> post(Effect f, List<Entry> s) {
    List<Entry> linked = new ArrayList<>(s.size() + 1);
    for (Entry en : s) {
      linked.add(link(f, en));
    }
    if (f.store().isEmpty()) {
      return List.copyOf(linked);
    }
    return ordInsert(Entry::id, newEntry(f, f.store().get()), linked);
  }

  /** Coq: {@code run}. */
  static Optional<List<Entry>> run(Effect f, List<Entry> s) {
    return place(f, s).map(placed -> post(f, placed));
  }

  /** Coq: {@code inc_of}. */
  static Optional<Long> incOf(Action a) {
    return a instanceof Inc inc ? Optional.of(inc.by()) : Optional.empty();
  }

  /** Coq: {@code stored}. */
  static Optional<Action> stored(Action a) {
    return a instanceof Del ? Optional.empty() : Optional.of(a);
  }

  /** Coq: {@code insert_effect}. */
  static Optional<Effect> insertEffect(Op o, OpId seq, Optional<OpId> ref) {
    if (o.action() instanceof Del || o.action() instanceof Inc) {
      return Optional.empty();
    }
    return Optional.of(
        new Effect(
            o.id(),
            o.obj(),
            Key.elem(ElemId.of(o.id())),
            List.of(),
            Optional.empty(),
            Optional.of(new Place(seq, ref)),
            Optional.of(o.action())));
  }

  /** Coq: {@code update_effect}. */
  static Effect updateEffect(Op o, Key k) {
    return new Effect(
        o.id(), o.obj(), k, o.pred(), incOf(o.action()), Optional.empty(), stored(o.action()));
  }

  /** Coq: {@code plan}. */
  static Optional<Effect> plan(List<Entry> s, Op o) {
    Optional<ObjType> t = objType(s, o.obj());
    if (t.isEmpty()) {
      return Optional.empty();
    }
    if (isSeq(t.get())) {
      if (!(o.key() instanceof Key.Elem elem)) {
        return Optional.empty();
      }
      Optional<OpId> e = elem.elemId().opId();
      if (o.insert()) {
        return o.obj().isRoot() ? Optional.empty() : insertEffect(o, o.obj().opId().get(), e);
      }
      if (e.isEmpty() || !hasElem(s, o.obj(), e.get())) {
        return Optional.empty();
      }
      return Optional.of(updateEffect(o, o.key()));
    }
    if (!o.insert() && o.key() instanceof Key.Prop) {
      return Optional.of(updateEffect(o, o.key()));
    }
    return Optional.empty();
  }

  /** Coq: {@code apply_op}. */
  static Optional<List<Entry>> applyOp(List<Entry> s, Op o) {
    return plan(s, o).flatMap(f -> run(f, s));
  }

  /** Coq: {@code apply_all}. */
  static Optional<List<Entry>> applyAll(List<Entry> s, List<Op> xs) {
    Optional<List<Entry>> current = Optional.of(s);
    for (Op x : xs) {
      current = current.flatMap(state -> applyOp(state, x));
    }
    return current;
  }

  /** Coq: {@code deliver}. */
  static Optional<Replica> deliver(Replica r, Op o) {
    if (r.applied().contains(o.id())) {
      return Optional.of(r);
    }
    return applyOp(r.ops(), o).map(s -> new Replica(setAdd(o.id(), r.applied()), s));
  }

  /** Coq: {@code deliver_all}. */
  static Optional<Replica> deliverAll(Replica r, List<Op> xs) {
    Optional<Replica> current = Optional.of(r);
    for (Op x : xs) {
      current = current.flatMap(replica -> deliver(replica, x));
    }
    return current;
  }

  /** Coq: {@code visible}. */
  static boolean visible(Entry en) {
    return !(en.action() instanceof Inc) && en.succ().isEmpty();
  }

  /** Coq: {@code values_at}. */
  static List<Entry> valuesAt(List<Entry> s, ObjId o, Key k) {
    List<Entry> result = new ArrayList<>();
    for (Entry en : s) {
      if (en.obj().equals(o) && en.key().equals(k) && visible(en)) {
        result.add(en);
      }
    }
    return result;
  }

  /** Coq: {@code counter_total}. */
  static Optional<Long> counterTotal(Entry en) {
    if (en.action() instanceof Put put && put.value() instanceof ScalarValue.Counter counter) {
      long total = counter.value();
      for (Increment inc : en.incs()) {
        total += inc.by();
      }
      return Optional.of(total);
    }
    return Optional.empty();
  }

  /** Coq: {@code elements}. */
  static List<OpId> elements(List<Entry> s, ObjId o) {
    if (o.isRoot()) {
      return List.of();
    }
    List<OpId> result = new ArrayList<>();
    for (OpId r : lookup(o.opId().get(), s).map(Entry::elems).orElse(List.of())) {
      if (!valuesAt(s, o, Key.elem(ElemId.of(r))).isEmpty()) {
        result.add(r);
      }
    }
    return result;
  }

  /** Coq: {@code prop_keys}. */
  static List<String> propKeys(List<Entry> s, ObjId o) {
    List<String> acc = new ArrayList<>();
    for (int i = s.size() - 1; i >= 0; i--) {
      Entry en = s.get(i);
      if (en.key() instanceof Key.Prop prop
          && en.obj().equals(o)
          && visible(en)
          && !acc.contains(prop.name())) {
        acc.add(0, prop.name());
      }
    }
    return acc;
  }

  private static List<OpId> insertAt(List<OpId> l, int index, OpId a) {
    List<OpId> result = new ArrayList<>(l.size() + 1);
    result.addAll(l.subList(0, index));
    result.add(a);
    result.addAll(l.subList(index, l.size()));
    return List.copyOf(result);
  }
}
