package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.dag.StoredBodies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The contents of a document chunk, as stored: what {@link DocumentChunk#decode} returns and {@link
 * DocumentChunk#encode} writes.
 *
 * <p>The change and op lists are wrapped, not copied: they are large, and whoever makes them hands
 * them over and keeps no reference. Decoded ops come as {@link DocOps}, which loading reads column
 * by column, and are kept as they are.
 *
 * @param actors every actor, sorted by bytes; ops and changes refer to them
 * @param heads the hashes of the changes nothing depends on, sorted
 * @param headRows for each head, its change row; empty when the chunk has no heads index. Only
 *     written: a decoded chunk's index is not checked, as JavaScript does not check it
 * @param changes change metadata in stored (topological) order
 * @param ops every op in document order
 */
public record DecodedDocument(
    List<ActorId> actors,
    List<ChangeHash> heads,
    List<Integer> headRows,
    List<DocChange> changes,
    List<DocOp> ops) {

  public DecodedDocument {
    actors = List.copyOf(actors);
    heads = List.copyOf(heads);
    headRows = List.copyOf(headRows);
    changes = changes instanceof DocChanges ? changes : Collections.unmodifiableList(changes);
    ops = ops instanceof DocOps ? ops : Collections.unmodifiableList(ops);
  }

  /** The changes as columns: the decoded ones as they are, others converted. */
  public DocChanges changeColumns() {
    return DocChanges.of(changes, actors);
  }

  /** The ops as columns: the decoded ones as they are, others converted. */
  public DocOps opColumns() {
    return DocOps.of(ops, actors);
  }

  /**
   * Rebuilds the changes, in stored row order, for a document chunk that is not a file's first:
   * JavaScript does not compare their heads with the stored ones then.
   *
   * @throws CorruptDataException if ops do not fit the changes' op ranges, a dep row is not an
   *     earlier row, or an actor's seqs do not count up from 1 or its opsMax go down in row order
   */
  public List<Change> reconstructChanges() {
    List<Change> rebuilt = new ArrayList<>(changes().size());
    ChangeReconstruction.reconstruct(
        this,
        (changes, row, startOp, depRows, hashes, bodies, bodyFrom, bodyLength, ops) -> {
          List<ChangeHash> deps = new ArrayList<>(depRows.length);
          for (int dep : depRows) {
            deps.add(ChangeReconstruction.hashOf(hashes, dep));
          }
          rebuilt.add(
              ChangeChunks.encodeWithDeps(
                  changes.actor(row),
                  changes.seq(row),
                  startOp,
                  changes.time(row),
                  changes.message(row),
                  deps,
                  ops.changeOps(row),
                  changes.extraBytes(row).clone(),
                  Arrays.copyOfRange(bodies, bodyFrom, bodyFrom + bodyLength)));
        },
        false);
    return rebuilt;
  }

  /**
   * Fills the empty {@code graph} with the rebuilt changes, as {@link #reconstructChanges} checks
   * them, and checks that their heads are the stored heads, for a file's first chunk. The graph
   * keeps their hashes, not their bodies: {@code storedBodies} (see {@link #storedBodies}) rebuilds
   * those when one is first asked for. If this throws, the graph may hold some of the changes: the
   * caller discards it.
   *
   * @throws CorruptDataException as {@link #reconstructChanges}, or if the rebuilt heads differ
   *     from the stored ones ("mismatching heads")
   */
  public void reconstructInto(ChangeGraph graph, StoredBodies storedBodies) {
    if (graph.size() != 0) {
      throw new IllegalStateException("reconstructInto needs an empty graph");
    }
    graph.reserve(changes().size());
    List<ChangeHash> heads =
        ChangeReconstruction.reconstruct(
            this,
            (changes, row, startOp, depRows, hashes, bodies, bodyFrom, bodyLength, ops) -> {
              graph.addStored(
                  changes.actor(row),
                  changes.seq(row),
                  changes.maxOp(row),
                  changes.time(row),
                  changes.message(row),
                  changes.extraBytes(row),
                  depRows,
                  hashes,
                  row * ChangeHash.LENGTH);
            },
            true);
    graph.setStoredHeads(heads, storedBodies);
  }

  /**
   * Rebuilds the bodies of the changes of the document chunk {@code chunk}, which decoded with
   * {@code options}, whenever asked, from a copy of the chunk: the few hundred kilobytes of a
   * compressed chunk, where the bodies of a long history take megabytes.
   */
  public static StoredBodies storedBodies(Chunk chunk, DocumentChunk.DecodeOptions options) {
    byte[] copy = chunk.copyBytes();
    return sink ->
        ChangeReconstruction.reconstruct(
            DocumentChunk.decode(Chunks.single(copy), options),
            (changes, row, startOp, depRows, hashes, bodies, bodyFrom, bodyLength, ops) ->
                sink.accept(row, hashes, row * ChangeHash.LENGTH, bodies, bodyFrom, bodyLength),
            false);
  }
}
