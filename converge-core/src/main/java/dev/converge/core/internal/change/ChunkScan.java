package dev.converge.core.internal.change;

/** What {@link Chunks#scan} found at an offset: a whole chunk, or the need for more bytes. */
public sealed interface ChunkScan permits ChunkScan.Complete, ChunkScan.Incomplete {

  /** A whole chunk is present. */
  record Complete(Chunk chunk) implements ChunkScan {}

  /**
   * The bytes so far are a valid prefix of a chunk.
   *
   * @param bytesNeeded a lower bound on how many more bytes the chunk needs
   */
  record Incomplete(int bytesNeeded) implements ChunkScan {}
}
