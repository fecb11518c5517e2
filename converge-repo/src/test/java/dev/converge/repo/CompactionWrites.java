package dev.converge.repo;

import dev.converge.core.ObjId;
import java.util.concurrent.CompletionException;

/** What the compaction tests do to a handle that a compaction may have retired. */
final class CompactionWrites {
  private CompactionWrites() {}

  /**
   * Writes to {@code handle} and waits: why the write was not acknowledged, or an error if it was.
   */
  static Throwable writeAndWait(DocHandle handle) {
    try {
      handle.change(tx -> tx.put(ObjId.ROOT, "a", "during"));
      handle.whenDurable().join();
      return new AssertionError("the write was acknowledged");
    } catch (CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
  }
}
