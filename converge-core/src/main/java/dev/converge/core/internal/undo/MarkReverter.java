package dev.converge.core.internal.undo;

import dev.converge.core.ActorId;
import dev.converge.core.ElemId;
import dev.converge.core.ExpandMark;
import dev.converge.core.Key;
import dev.converge.core.ObjId;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import dev.converge.core.internal.opset.OpLookup;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reverts a mark. A mark is not overwritten like a value: for each name, the greatest mark begin in
 * force on a character wins. So reverting mark {@code m} means: on each character where {@code m}
 * (or a stand-in of it) wins now, write back what {@code m} covered up there ({@link MarkHistory}),
 * by a new mark over each run of such characters; where another actor's mark in force there is
 * greater than that, it shows instead. Where another mark wins now, nothing is written.
 *
 * <p>Runs include deleted characters: the reverted mark covers them, so a character an undo later
 * brings back next to one of them must land under the new mark too.
 */
final class MarkReverter {
  private final OpLookup lookup;
  private final Aliases aliases;
  private final MarkHistory history;
  private final ValueWriter writer;
  private final ActorId self;

  MarkReverter(
      OpLookup lookup, Aliases aliases, MarkHistory history, ValueWriter writer, ActorId self) {
    this.lookup = lookup;
    this.aliases = aliases;
    this.history = history;
    this.writer = writer;
    this.self = self;
  }

  /** What a name goes back to on a character: a mark's value, or nothing. */
  private record Replacement(Optional<OpLookup.ActiveMark> mark) {
    Optional<OpId> begin() {
      return mark.map(OpLookup.ActiveMark::begin);
    }
  }

  /** A run of characters where the reverted mark wins and the name goes back to one value. */
  private static final class Span {
    final ElemId first;
    final Replacement replacement;
    ElemId last;

    Span(ElemId first, Replacement replacement) {
      this.first = first;
      this.last = first;
      this.replacement = replacement;
    }
  }

  /**
   * Reverts the mark whose begin op is {@code begin}, on the text {@code text} where it lives now,
   * writing new marks that expand as {@code expand} says.
   */
  void revert(ObjId text, Placement begin, String name, ExpandMark expand) {
    Set<OpId> reverted = new HashSet<>();
    for (Placement standIn : aliases.closure(begin, false)) {
      reverted.add(standIn.op());
    }
    Map<ElemId, Optional<OpLookup.ActiveMark>> prior = history.priorOf(begin.op());
    Span span = null;
    for (OpLookup.MarkedElement element : lookup.markedElements(text, true)) {
      if (!wins(element, name, reverted)) {
        if (span != null) {
          emit(text, span, name, expand);
          span = null;
        }
        continue;
      }
      Replacement carried = span == null ? new Replacement(Optional.empty()) : span.replacement;
      Replacement replacement = replacement(element, name, reverted, prior, carried);
      if (span != null && !Objects.equals(span.replacement.begin(), replacement.begin())) {
        emit(text, span, name, expand);
        span = null;
      }
      if (span == null) {
        span = new Span(element.elem(), replacement);
      } else {
        span.last = element.elem();
      }
    }
    if (span != null) {
      emit(text, span, name, expand);
    }
  }

  private static boolean wins(OpLookup.MarkedElement element, String name, Set<OpId> reverted) {
    OpLookup.ActiveMark winner = null;
    for (OpLookup.ActiveMark mark : element.marks()) {
      if (mark.name().equals(name)) {
        winner = mark;
      }
    }
    return winner != null && reverted.contains(winner.begin());
  }

  /**
   * What the name goes back to on {@code element}: what the reverted mark covered up there (for an
   * element the record does not know, {@code carried}, from the element before it), unless another
   * actor's greater mark is in force there.
   */
  private Replacement replacement(
      OpLookup.MarkedElement element,
      String name,
      Set<OpId> reverted,
      Map<ElemId, Optional<OpLookup.ActiveMark>> prior,
      Replacement carried) {
    OpLookup.ActiveMark best = recorded(prior, element.elem()).orElse(carried.mark()).orElse(null);
    for (OpLookup.ActiveMark mark : element.marks()) {
      boolean others = !mark.begin().actor().equals(self) && !reverted.contains(mark.begin());
      if (others
          && mark.name().equals(name)
          && (best == null || mark.begin().compareTo(best.begin()) > 0)) {
        best = mark;
      }
    }
    return new Replacement(Optional.ofNullable(best));
  }

  /**
   * The record for {@code elem}, or for the element it stands in for (a restored or copied
   * element); empty if the record knows none of them.
   */
  private Optional<Optional<OpLookup.ActiveMark>> recorded(
      Map<ElemId, Optional<OpLookup.ActiveMark>> prior, ElemId elem) {
    ElemId current = elem;
    while (true) {
      Optional<OpLookup.ActiveMark> found = prior.get(current);
      if (found != null) {
        return Optional.of(found);
      }
      Optional<OpId> origin = aliases.originOf(current.opId().orElseThrow());
      if (origin.isEmpty()) {
        return Optional.empty();
      }
      current = ElemId.of(origin.get());
    }
  }

  private void emit(ObjId text, Span span, String name, ExpandMark expand) {
    Optional<OpLookup.ActiveMark> restored = span.replacement.mark();
    ScalarValue value = restored.map(OpLookup.ActiveMark::value).orElse(ScalarValue.NULL);
    OpId begin = writer.mark(text, lookup.before(text, span.first), span.last, name, value, expand);
    restored.ifPresent(
        mark -> aliases.add(mark.begin(), new Placement(begin, text, Key.elem(ElemId.of(begin)))));
  }
}
