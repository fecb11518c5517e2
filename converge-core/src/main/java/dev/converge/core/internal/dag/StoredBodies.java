package dev.converge.core.internal.dag;

/**
 * Rebuilds, when first asked, the bodies of the changes a {@link ChangeGraph} took from a document
 * chunk without them (see {@link ChangeGraph#setStoredHeads}): loading computes each change's hash
 * from its body and keeps only the hash, and the body is made again only for a caller that wants
 * the change itself.
 */
@FunctionalInterface
public interface StoredBodies {
  /**
   * Hands {@code sink} the body of every stored change, in stored row order.
   *
   * @throws RuntimeException if the source no longer rebuilds (a broken invariant: it rebuilt once)
   */
  void replay(Sink sink);

  /** Takes one rebuilt change. */
  @FunctionalInterface
  interface Sink {
    /**
     * Takes the change of row {@code row}: its hash is the 32 bytes of {@code hashes} at {@code
     * hashOffset}; its chunk body after the deps, which starts with the length-prefixed author, is
     * the {@code length} bytes of {@code bodies} at {@code from}. The arrays are reused for later
     * rows: copy what must outlive the call.
     */
    void accept(int row, byte[] hashes, int hashOffset, byte[] bodies, int from, int length);
  }
}
