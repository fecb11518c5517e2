package dev.converge.core.internal.undo;

import dev.converge.core.OpId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which ops stand in for which: when an undo or redo brings back what an op held (a value, an
 * object, an element, a mark), it writes a new op, since a CRDT cannot resurrect an old one. The
 * new op is recorded as a stand-in of the old, so that a later revert that names the old op finds
 * the content where it lives now. Stand-ins chain: a value restored twice has two generations.
 *
 * <p>A stand-in may replace an element without holding the old element's own value (a copied
 * element whose value had been overwritten holds the overwriting value): such a stand-in counts for
 * where the element is, not for what it held.
 *
 * <p>Changes are journalled so that a revert that fails halfway takes its aliases back with its
 * ops. Not thread-safe; owned by one undo manager.
 */
public final class Aliases {
  private final Map<OpId, List<StandIn>> standIns = new HashMap<>();
  // The first op each stand-in was recorded for: for an element, the element it replaces.
  private final Map<OpId, OpId> origins = new HashMap<>();
  private final List<Entry> journal = new ArrayList<>();

  private record Entry(OpId original, OpId standIn, boolean newOrigin) {}

  private record StandIn(Placement placement, boolean content) {}

  /** Records that {@code standIn} now holds what {@code original} held. */
  void add(OpId original, Placement standIn) {
    add(original, new StandIn(standIn, true));
  }

  /** Records that the element {@code standIn} replaces the element {@code original}. */
  void addElement(OpId original, Placement standIn) {
    add(original, new StandIn(standIn, false));
  }

  private void add(OpId original, StandIn standIn) {
    standIns.computeIfAbsent(original, id -> new ArrayList<>(1)).add(standIn);
    OpId op = standIn.placement().op();
    boolean newOrigin = origins.putIfAbsent(op, original) == null;
    journal.add(new Entry(original, op, newOrigin));
  }

  /**
   * {@code own} followed by every stand-in of its op, transitively, oldest generation first: those
   * holding its content, and with {@code elementsToo} those replacing its element.
   */
  List<Placement> closure(Placement own, boolean elementsToo) {
    List<Placement> all = new ArrayList<>();
    Set<OpId> seen = new HashSet<>();
    all.add(own);
    seen.add(own.op());
    for (int i = 0; i < all.size(); i++) {
      for (StandIn standIn : standIns.getOrDefault(all.get(i).op(), List.of())) {
        if ((elementsToo || standIn.content()) && seen.add(standIn.placement().op())) {
          all.add(standIn.placement());
        }
      }
    }
    return all;
  }

  /** The op {@code standIn} was first recorded as standing in for, if any. */
  Optional<OpId> originOf(OpId standIn) {
    return Optional.ofNullable(origins.get(standIn));
  }

  /** A position to roll back to with {@link #truncate}. */
  int journalSize() {
    return journal.size();
  }

  /** Forgets every alias recorded after {@code size}, newest first. */
  void truncate(int size) {
    while (journal.size() > size) {
      Entry entry = journal.remove(journal.size() - 1);
      // Every journal entry added its stand-in to this list, and truncation removes newest first.
      List<StandIn> list = Objects.requireNonNull(standIns.get(entry.original()), "stand-ins");
      list.remove(list.size() - 1);
      if (list.isEmpty()) {
        standIns.remove(entry.original());
      }
      if (entry.newOrigin()) {
        origins.remove(entry.standIn());
      }
    }
  }
}
