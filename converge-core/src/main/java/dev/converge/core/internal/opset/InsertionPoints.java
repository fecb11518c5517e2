package dev.converge.core.internal.opset;

import dev.converge.core.ConvergeException;
import dev.converge.core.TextUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a local insert into a list or text goes, among the elements and the mark anchors that sit
 * between them, as Automerge decides it.
 */
final class InsertionPoints {
  private InsertionPoints() {}

  /**
   * The element after which an insert at {@code index} (counted in {@code unit}) goes, null for the
   * head: right after the visible element before the index, then past any mark anchors that should
   * hold the new text inside or outside their mark (a begin that expands before, an end that does
   * not expand after).
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if the index is outside the sequence
   * @throws dev.converge.core.CharacterSplitException if the index falls inside a character
   */
  static @Nullable Op reference(SeqObj seq, TextUnit unit, int index) {
    long width = seq.tree.width(unit);
    if (index < 0 || index > width) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "index " + index + " is outside 0.." + width + " of " + seq.id);
    }
    @Nullable Op lastVisible = null;
    if (index > 0) {
      // One descent finds the element before the index (checked to be in range) and tells whether
      // the index ends it.
      lastVisible = Objects.requireNonNull(seq.tree.elementAtWidth(index - 1, unit), "element");
      int lastWidth = seq.tree.width(lastVisible, unit);
      int offset = seq.tree.offsetInElement() + 1;
      if (offset != lastWidth) {
        throw TextPositions.split(
            seq.id, index, unit, OpSet.winner(lastVisible), offset, lastWidth);
      }
    }
    Op next = lastVisible == null ? seq.tree.first() : seq.tree.next(lastVisible);
    if (next == null || seq.markCount == 0) {
      return lastVisible;
    }
    ArrayList<Op> candidates = new ArrayList<>();
    ArrayList<Op> candidateMarks = new ArrayList<>();
    candidates.add(lastVisible);
    candidateMarks.add(null);
    for (Op element = next; element != null; element = seq.tree.next(element)) {
      if (element.isMarkEnd()) {
        int begin = indexOfBegin(candidateMarks, element);
        if (begin >= 0) {
          truncate(candidates, begin);
          truncate(candidateMarks, begin);
          continue;
        }
      }
      if ((element.isMarkBegin() && element.expand())
          || (element.isMarkEnd() && !element.expand())) {
        candidates.add(element);
        candidateMarks.add(element);
        continue;
      }
      if (element.widthCode != TextWidths.NONE) {
        break;
      }
    }
    return candidates.isEmpty() ? lastVisible : candidates.get(candidates.size() - 1);
  }

  private static int indexOfBegin(List<Op> candidateMarks, Op end) {
    for (int i = 0; i < candidateMarks.size(); i++) {
      Op mark = candidateMarks.get(i);
      if (mark != null
          && mark.isMarkBegin()
          && mark.actor == end.actor
          && mark.counter() == end.counter() - 1) {
        return i;
      }
    }
    return -1;
  }

  private static void truncate(List<Op> list, int size) {
    while (list.size() > size) {
      list.remove(list.size() - 1);
    }
  }
}
