package dev.converge.core.internal.dag;

import dev.converge.core.ChangeHash;
import dev.converge.core.internal.codec.ByteWriter;
import org.jspecify.annotations.Nullable;

/**
 * The chunk tails of a {@link ChangeGraph}'s changes, by change index. The changes loaded from a
 * document chunk (the first {@link #storedCount}) keep no tail at first: their {@link StoredBodies}
 * rebuilds them all the first time one is asked for, checking each against the hash the load
 * computed. The changes added after them keep theirs as they come.
 *
 * <p>Not thread-safe.
 */
final class ChangeTails {
  private final TailStore added = new TailStore();
  private int storedCount;
  private @Nullable StoredBodies storedBodies;
  private @Nullable TailStore storedTails;

  /** How many changes, the first in the graph, were loaded from a document chunk. */
  int storedCount() {
    return storedCount;
  }

  /** Whether the stored changes were given their source; no stored change may follow then. */
  boolean hasStoredSource() {
    return storedBodies != null;
  }

  /** Counts one more stored change, whose tail {@link #setStoredSource} rebuilds on demand. */
  void addStored() {
    storedCount++;
  }

  /** Names where the stored changes' tails are rebuilt from; nothing without stored changes. */
  void setStoredSource(StoredBodies bodies) {
    if (storedCount > 0) {
      storedBodies = bodies;
    }
  }

  /**
   * Keeps the tail of the next added change: {@code length} bytes of {@code chunk} at {@code from}.
   */
  void add(byte[] chunk, int from, int length) {
    added.add(chunk, from, length);
  }

  /** Drops the tails of the added changes from index {@code change} on. */
  void truncate(int change) {
    added.truncate(change - storedCount);
  }

  /** The tail of the change at {@code change}, which the caller checked is in the graph. */
  byte[] get(ChangeGraph graph, PagedBytes hashes, int change) {
    return change < storedCount
        ? storedTails(graph, hashes).get(change)
        : added.get(change - storedCount);
  }

  /** The exact type-1 chunk of the change at {@code change}, which the caller checked. */
  byte[] chunk(ChangeGraph graph, PagedBytes hashes, int change) {
    return change < storedCount
        ? ChunkParts.chunk(
            graph, hashes, storedTails(graph, hashes), change, change, graph.actor(change))
        : ChunkParts.chunk(graph, hashes, added, change - storedCount, change, graph.actor(change));
  }

  /**
   * The tails of the stored changes, rebuilt from their {@link StoredBodies} the first time: each
   * rebuilt change must hash to the hash the load computed.
   */
  private TailStore storedTails(ChangeGraph graph, PagedBytes hashes) {
    TailStore kept = storedTails;
    if (kept != null) {
      return kept;
    }
    StoredBodies source = storedBodies;
    if (source == null) {
      throw new IllegalStateException("stored changes without a source for their bodies");
    }
    TailStore rebuilt = new TailStore();
    source.replay(
        (row, hashBytes, hashOffset, bodies, from, length) -> {
          if (row != rebuilt.size()
              || row >= storedCount
              || !hashes.hashEquals(row * 32L, ChangeHash.of(hashBytes, hashOffset))) {
            throw new IllegalStateException("stored change " + row + " rebuilt differently");
          }
          int actorLength =
              ByteWriter.ulebSize(graph.actor(row).length()) + graph.actor(row).length();
          rebuilt.add(bodies, from + actorLength, length - actorLength);
        });
    if (rebuilt.size() != storedCount) {
      throw new IllegalStateException(
          "rebuilt " + rebuilt.size() + " of " + storedCount + " stored changes");
    }
    storedTails = rebuilt;
    storedBodies = null;
    return rebuilt;
  }
}
