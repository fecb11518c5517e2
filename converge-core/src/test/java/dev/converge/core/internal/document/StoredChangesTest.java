package dev.converge.core.internal.document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.dag.ChangeGraph;
import dev.converge.core.internal.dag.StoredBodies;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The changes a graph takes from a document chunk keep their hashes only; their bytes are rebuilt
 * once, when first asked for, and must hash as they did at load.
 */
class StoredChangesTest {

  private static Document history() {
    Document doc = Document.create(ActorId.fromHex("aa"));
    for (int i = 0; i < 5; i++) {
      int n = i;
      doc.change(tx -> tx.put(ObjId.ROOT, "k" + (n % 2), n));
    }
    Document other = doc.fork(ActorId.fromHex("bb"));
    other.change(tx -> tx.put(ObjId.ROOT, "other", "x"));
    doc.change(tx -> tx.put(ObjId.ROOT, "k0", "y"));
    doc.merge(other);
    return doc;
  }

  private static ChangeGraph loaded(Chunk chunk, StoredBodies bodies) {
    ChangeGraph graph = new ChangeGraph();
    DocumentChunk.decode(chunk, DocumentChunk.DecodeOptions.DEFAULT).reconstructInto(graph, bodies);
    return graph;
  }

  @Test
  void chunk_ofStoredChange_isTheSavedChangesBytes() {
    Document doc = history();
    Chunk chunk = Chunks.single(doc.save());
    ChangeGraph graph =
        loaded(chunk, DecodedDocument.storedBodies(chunk, DocumentChunk.DecodeOptions.DEFAULT));

    List<Change> changes = doc.changes();
    assertEquals(changes.size(), graph.size());
    for (int i = 0; i < changes.size(); i++) {
      assertArrayEquals(changes.get(i).toBytes(), graph.chunk(i), "change " + i);
      assertEquals(changes.get(i).seq(), graph.seq(i));
      assertEquals(changes.get(i).startOp(), graph.startOp(i));
    }
  }

  @Test
  void storedBodies_beforeAChangeIsAskedFor_areNotRebuilt() {
    Chunk chunk = Chunks.single(history().save());
    StoredBodies source = DecodedDocument.storedBodies(chunk, DocumentChunk.DecodeOptions.DEFAULT);
    AtomicInteger replays = new AtomicInteger();
    ChangeGraph graph =
        loaded(
            chunk,
            sink -> {
              replays.incrementAndGet();
              source.replay(sink);
            });

    graph.heads();
    graph.hash(0);
    graph.maxOp(graph.size() - 1);
    graph.depsOf(graph.size() - 1);
    assertEquals(0, replays.get());
    graph.get(0);
    graph.chunk(graph.size() - 1);
    assertEquals(1, replays.get());
  }

  @Test
  void chunk_whenBodiesRebuildToAnotherHash_failsFast() {
    Chunk chunk = Chunks.single(history().save());
    ChangeGraph graph = loaded(chunk, sink -> sink.accept(0, new byte[32], 0, new byte[4], 0, 4));

    assertThrows(IllegalStateException.class, () -> graph.chunk(0));
  }

  @Test
  void removeLast_ofAStoredChange_isRefused() {
    Chunk chunk = Chunks.single(history().save());
    ChangeGraph graph =
        loaded(chunk, DecodedDocument.storedBodies(chunk, DocumentChunk.DecodeOptions.DEFAULT));

    assertThrows(IllegalStateException.class, () -> graph.removeLast(List.of()));
  }
}
