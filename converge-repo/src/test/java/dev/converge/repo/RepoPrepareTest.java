package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Repo#findOrPrepare}: a handle for a document a peer names, stored only with its first
 * change (issue 16: a server stored an empty row for every unknown ID a client sent heads for).
 * Each test reopens the SQLite file to see what reached it.
 */
class RepoPrepareTest {
  @TempDir Path dir;

  private static DocumentId id(int seed) {
    byte[] bytes = new byte[16];
    new SplittableRandom(seed).nextBytes(bytes);
    return DocumentId.of(bytes);
  }

  @Test
  void prepared_withoutAChange_isNeitherFoundNorListedNorStored() {
    DocumentId id = id(1);
    try (Repo repo = Repo.open(dir)) {
      DocHandle prepared = repo.findOrPrepare(id);
      assertEquals(id, prepared.id());
      assertTrue(prepared.heads().isEmpty());
      assertEquals(Optional.empty(), repo.find(id)); // find flushes pending writes first
      assertEquals(List.of(), repo.list());
      prepared.whenDurable().join();
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(List.of(), repo.list());
    }
  }

  @Test
  void prepared_firstChange_storesItAndMakesItTheCachedHandle() {
    DocumentId id = id(2);
    try (Repo repo = Repo.open(dir)) {
      DocHandle prepared = repo.findOrPrepare(id);
      prepared.change(tx -> tx.put(ObjId.ROOT, "title", "first"));
      assertSame(prepared, repo.find(id).orElseThrow(), "one handle for the document");
      assertSame(prepared, repo.findOrPrepare(id));
      repo.flush();
      assertEquals(List.of(id), repo.list());
      prepared.change(tx -> tx.put(ObjId.ROOT, "title", "second"));
      prepared.whenDurable().join();
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals("{\"title\":\"second\"}", repo.find(id).orElseThrow().toJson());
    }
  }

  @Test
  void prepared_twiceWhileHeld_isOneHandle_findOrCreateStoresThatHandle() {
    DocumentId id = id(3);
    try (Repo repo = Repo.open(dir)) {
      DocHandle prepared = repo.findOrPrepare(id);
      assertSame(prepared, repo.findOrPrepare(id));
      DocHandle created = repo.findOrCreate(id);
      assertSame(prepared, created, "created from the prepared handle, not beside it");
      repo.flush();
      assertEquals(List.of(id), repo.list());
      created.change(tx -> tx.put(ObjId.ROOT, "n", 1));
      assertSame(created, repo.find(id).orElseThrow());
      created.whenDurable().join();
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals("{\"n\":1}", repo.find(id).orElseThrow().toJson());
    }
  }
}
