package dev.converge.core;

import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.document.DecodedDocument;
import dev.converge.core.internal.document.DocChanges;
import dev.converge.core.internal.document.DocumentChunk;
import dev.converge.core.internal.opset.OpSet;
import dev.converge.core.internal.opset.OpSetExport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** What a document chunk holds for a {@link Document}, and how its chunks are read back. */
final class DocumentContents {
  private DocumentContents() {}

  /** How to decode the document chunks of a file loaded with {@code options}. */
  static DocumentChunk.DecodeOptions decodeOptions(LoadOptions options) {
    return new DocumentChunk.DecodeOptions(
        options.verification() == Verification.STRICT,
        options.inflatedBytesMax(),
        options.opsMax());
  }

  /**
   * The applied changes of {@code graph} and the ops of {@code opSet} (its state after them), as a
   * document chunk stores them: actors sorted, each change with its actor's seq.
   */
  static DecodedDocument of(ChangeGraph graph, OpSet opSet) {
    List<ActorId> actors = new ArrayList<>(graph.actors());
    actors.sort(null);
    int size = graph.size();
    DocChanges changes = DocChanges.withCapacity(actors, size, size);
    // The graph holds each actor's changes in seq order, so counting gives the seq.
    int[] seqByActor = new int[0];
    int[] sortedIndex = new int[0];
    for (int i = 0; i < size; i++) {
      int actorIndex = graph.actorIndex(i);
      if (actorIndex >= seqByActor.length) {
        int grown = Math.max(actorIndex + 1, seqByActor.length * 2);
        seqByActor = Arrays.copyOf(seqByActor, grown);
        sortedIndex = Arrays.copyOf(sortedIndex, grown);
      }
      if (seqByActor[actorIndex] == 0) {
        sortedIndex[actorIndex] = Collections.binarySearch(actors, graph.actor(i));
      }
      long seq = ++seqByActor[actorIndex];
      changes.add(
          sortedIndex[actorIndex],
          seq,
          graph.maxOp(i),
          graph.time(i),
          graph.message(i).orElse(null),
          graph.extraBytes(i));
      for (int d = 0, n = graph.depCount(i); d < n; d++) {
        changes.addDep(graph.dep(i, d));
      }
    }
    List<ChangeHash> heads = graph.heads();
    List<Integer> headRows = new ArrayList<>(heads.size());
    for (ChangeHash head : heads) {
      headRows.add(graph.indexOf(head));
    }
    return new DecodedDocument(
        actors, heads, headRows, changes, new OpSetExport(opSet, actors).ops());
  }
}
