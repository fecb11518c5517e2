package dev.converge.core.internal.document;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.internal.change.ChangeChunks;
import dev.converge.core.internal.dag.ChangeGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of a document chunk, as stored: what {@link DocumentChunk#decode} returns and {@link
 * DocumentChunk#encode} writes.
 *
 * <p>The change and op lists are wrapped, not copied: they are large, and whoever makes them hands
 * them over and keeps no reference.
 *
 * @param actors every actor, sorted by bytes; ops and changes refer to them
 * @param heads the hashes of the changes nothing depends on, sorted
 * @param headRows for each head, its change row; empty when the chunk has no heads index
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
    changes = Collections.unmodifiableList(changes);
    ops = Collections.unmodifiableList(ops);
  }

  /**
   * Rebuilds the changes, in stored row order, and checks that their heads are the stored heads.
   *
   * @throws CorruptDataException if ops do not fit the changes' op ranges, a dep row is not an
   *     earlier row, or the rebuilt heads differ from the stored ones ("mismatching heads")
   */
  public List<Change> reconstructChanges() {
    List<Change> changes = new ArrayList<>(changes().size());
    ChangeReconstruction.reconstruct(
        this,
        (row, change, startOp, depRows, hashes, afterDeps, ops) -> {
          List<ChangeHash> deps = new ArrayList<>(depRows.length);
          for (int dep : depRows) {
            deps.add(ChangeReconstruction.hashOf(hashes, dep));
          }
          changes.add(
              ChangeChunks.encodeWithDeps(
                  change.actor(),
                  change.seq(),
                  startOp,
                  change.time(),
                  change.message(),
                  deps,
                  ops,
                  change.extraBytes().toBytes(),
                  afterDeps));
        });
    return changes;
  }

  /**
   * Fills the empty {@code graph} with the rebuilt changes, as {@link #reconstructChanges} checks
   * them, plus that each actor's seqs count up from 1 in row order. If this throws, the graph may
   * hold some of the changes: the caller discards it.
   *
   * @throws CorruptDataException as {@link #reconstructChanges}, or if an actor's seqs skip
   */
  public void reconstructInto(ChangeGraph graph) {
    if (graph.size() != 0) {
      throw new IllegalStateException("reconstructInto needs an empty graph");
    }
    graph.reserve(changes().size());
    Map<ActorId, long[]> lastSeq = new HashMap<>();
    List<ChangeHash> heads =
        ChangeReconstruction.reconstruct(
            this,
            (row, change, startOp, depRows, hashes, afterDeps, ops) -> {
              long[] last = lastSeq.computeIfAbsent(change.actor(), actor -> new long[1]);
              if (change.seq() != last[0] + 1) {
                throw new CorruptDataException(
                    "stored change "
                        + ChangeReconstruction.hashOf(hashes, row)
                        + " by "
                        + change.actor()
                        + " has seq "
                        + change.seq()
                        + ", expected "
                        + (last[0] + 1));
              }
              last[0] = change.seq();
              graph.addStored(
                  change.actor(),
                  change.seq(),
                  change.maxOp(),
                  change.time(),
                  change.message(),
                  change.extraBytes().toBytes(),
                  depRows,
                  hashes,
                  row * ChangeHash.LENGTH,
                  afterDeps);
            });
    graph.setStoredHeads(heads);
  }
}
