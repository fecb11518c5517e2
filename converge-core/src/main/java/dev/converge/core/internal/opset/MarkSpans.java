package dev.converge.core.internal.opset;

import dev.converge.core.Action;
import dev.converge.core.Mark;
import dev.converge.core.OpId;
import dev.converge.core.ScalarValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The marks in force over a text as a reader sees it: spans by mark name (in UTF-8 order) then
 * position, each the longest run of characters with the same value, with null-valued unmarks left
 * out.
 */
final class MarkSpans {
  private MarkSpans() {}

  /** The mark spans of {@code seq}, in {@code reader}'s unit and at its clock. */
  static List<Mark> of(OpSetReader reader, SeqObj seq) {
    // Active mark begins by op ID; for each name the greatest active begin wins.
    TreeMap<OpId, Op> active = new TreeMap<>();
    TreeMap<String, List<Mark>> spans = new TreeMap<>(OpSetReader::compareUtf8);
    long index = 0;
    for (Op element = seq.tree.first(); element != null; element = seq.tree.next(element)) {
      if (element.action() == Action.MARK) {
        if (reader.covers(element)) {
          if (element.isMarkBegin()) {
            active.put(reader.opId(element), element);
          } else {
            active.remove(new OpId(element.counter() - 1, reader.actor(element)));
          }
        }
        continue;
      }
      int width = reader.width(seq, element);
      if (width == 0) {
        continue;
      }
      Map<String, ScalarValue> current = new TreeMap<>();
      for (Op begin : active.values()) {
        current.put(begin.markName(), begin.value);
      }
      for (Map.Entry<String, ScalarValue> entry : current.entrySet()) {
        if (entry.getValue() instanceof ScalarValue.Null) {
          continue;
        }
        List<Mark> list = spans.computeIfAbsent(entry.getKey(), name -> new ArrayList<>());
        Mark last = list.isEmpty() ? null : list.get(list.size() - 1);
        if (last != null && last.end() == index && last.value().equals(entry.getValue())) {
          list.set(
              list.size() - 1,
              new Mark(last.name(), last.value(), last.start(), (int) (index + width)));
        } else {
          list.add(new Mark(entry.getKey(), entry.getValue(), (int) index, (int) (index + width)));
        }
      }
      index += width;
    }
    List<Mark> result = new ArrayList<>();
    spans.values().forEach(result::addAll);
    return Collections.unmodifiableList(result);
  }
}
