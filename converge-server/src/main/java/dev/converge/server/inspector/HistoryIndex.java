package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeSummary;
import dev.converge.core.DocumentHistory;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the inspector keeps of one document's history between requests: the graph's lanes ({@link
 * GraphLayout}) and each change's time, for every change applied so far, extended as changes
 * arrive. A page of the history then costs one read of its own changes, and the overview of a
 * 260,000-change history one pass over two arrays.
 *
 * <p>The applied order of a document reloaded from the store may differ from the order seen before;
 * the index notices (the hash at its last position changed) and starts again.
 *
 * <p>Thread-safety: every method is called with the document's lock held ({@link
 * dev.converge.repo.DocHandle#readHistory}) and is synchronized on the index as well.
 */
final class HistoryIndex {
  private static final int READ_CHUNK = 4096;

  /** The overview aggregates the history into at most this many buckets. */
  static final int OVERVIEW_BUCKETS_MAX = 160;

  private GraphLayout layout = new GraphLayout();
  private long[] times = new long[16];
  private @Nullable ChangeHash last;

  /** Lays out the changes applied since the last call. */
  synchronized void catchUp(DocumentHistory doc) {
    int count = doc.changeCount();
    int known = layout.size();
    if (known > count
        || (known > 0 && !doc.changeSummaries(known - 1, known).get(0).hash().equals(last))) {
      layout = new GraphLayout();
      known = 0;
    }
    for (int from = known; from < count; from += READ_CHUNK) {
      List<ChangeSummary> chunk = doc.changeSummaries(from, Math.min(count, from + READ_CHUNK));
      for (ChangeSummary change : chunk) {
        int[] deps = new int[change.deps().size()];
        for (int i = 0; i < deps.length; i++) {
          deps[i] = doc.changeIndex(change.deps().get(i)).orElseThrow();
        }
        int index = layout.size();
        layout.append(deps);
        if (index == times.length) {
          times = Arrays.copyOf(times, Math.max(16, index * 2));
        }
        times[index] = change.time();
        last = change.hash();
      }
    }
  }

  synchronized int lane(int index) {
    return layout.lane(index);
  }

  synchronized int laneCount() {
    return layout.laneCount();
  }

  /**
   * The whole history in at most {@value #OVERVIEW_BUCKETS_MAX} buckets of consecutive changes:
   * {@code [{"from","to","lanes","timeMin","timeMax"}]}, where {@code lanes} is how many lanes the
   * bucket's changes use (1 for a straight line of work; more where work was concurrent).
   */
  synchronized void overview(JsonGenerator out) throws IOException {
    int count = layout.size();
    int bucketSize = Math.max(1, (count + OVERVIEW_BUCKETS_MAX - 1) / OVERVIEW_BUCKETS_MAX);
    out.writeStartArray();
    for (int from = 0; from < count; from += bucketSize) {
      int to = Math.min(count, from + bucketSize);
      BitSet lanes = new BitSet();
      long timeMin = Long.MAX_VALUE;
      long timeMax = Long.MIN_VALUE;
      for (int i = from; i < to; i++) {
        lanes.set(layout.lane(i));
        timeMin = Math.min(timeMin, times[i]);
        timeMax = Math.max(timeMax, times[i]);
      }
      out.writeStartObject();
      out.writeNumberField("from", from);
      out.writeNumberField("to", to);
      out.writeNumberField("lanes", lanes.cardinality());
      out.writeNumberField("timeMin", timeMin);
      out.writeNumberField("timeMax", timeMax);
      out.writeEndObject();
    }
    out.writeEndArray();
  }
}
