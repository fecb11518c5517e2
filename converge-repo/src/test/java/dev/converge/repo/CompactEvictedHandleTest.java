package dev.converge.repo;

import static dev.converge.repo.CompactionWrites.writeAndWait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.repo.spi.Forward;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handle the repository's cache dropped while its caller kept it still writes to the document:
 * compaction must retire it as well as the handle the cache holds now, and copy what it wrote.
 */
class CompactEvictedHandleTest {
  @TempDir Path dir;

  @Test
  void compact_writeThroughEvictedHandleBetweenLinkAndPurge_refusedNotLost() {
    try (Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(7)))) {
      DocHandle held = repo.create();
      held.change(tx -> tx.put(ObjId.ROOT, "a", "before"));
      held.whenDurable().join();
      repo.evict(held.id());
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      repo.addDocumentListener(
          handle -> {
            if (!handle.id().equals(held.id()) && outcome.get() == null) {
              outcome.set(writeAndWait(held));
            }
          });

      DocHandle successor = repo.compact(held.id());

      DocumentCompactedException e =
          assertInstanceOf(DocumentCompactedException.class, outcome.get());
      assertEquals(successor.id(), e.successorId());
      assertEquals("{\"a\":\"before\"}", successor.toJson());
      assertTrue(repo.isPurged(held.id()));
    }
  }

  @Test
  void compact_acknowledgedWriteThroughEvictedHandle_inSuccessor() {
    try (Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(8)))) {
      DocHandle held = repo.create();
      held.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      held.whenDurable().join();
      repo.evict(held.id());
      DocHandle cached = repo.find(held.id()).orElseThrow();
      assertNotSame(held, cached);
      held.change(tx -> tx.put(ObjId.ROOT, "b", 2));
      held.whenDurable().join(); // acknowledged; the cached handle never saw it

      DocHandle successor = repo.compact(held.id());

      assertEquals("{\"a\":1,\"b\":2}", successor.toJson());
      assertThrows(
          DocumentCompactedException.class, () -> held.change(tx -> tx.put(ObjId.ROOT, "c", 3)));
      assertThrows(
          DocumentCompactedException.class, () -> cached.change(tx -> tx.put(ObjId.ROOT, "c", 3)));
    }
  }

  @Test
  void settleForward_evictedHandleWroteAfterCompaction_keptAndStillWrites() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle held = repo.create();
      held.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      held.whenDurable().join();
      List<ChangeHash> compacted = held.heads();
      repo.evict(held.id());
      DocHandle cached = repo.find(held.id()).orElseThrow();
      held.change(tx -> tx.put(ObjId.ROOT, "b", 2));
      held.whenDurable().join();
      DocHandle successor = repo.create();
      successor.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      repo.recordForward(new Forward(held.id().toString(), successor.id().toString(), compacted));

      assertFalse(repo.settleForward(held.id()));

      assertFalse(repo.isPurged(held.id()));
      held.change(tx -> tx.put(ObjId.ROOT, "c", 3));
      cached.change(tx -> tx.put(ObjId.ROOT, "d", 4));
      held.whenDurable().join();
      cached.whenDurable().join();
    }
  }

  @Test
  void compact_handleLoadedDuringCompaction_refusesWrites() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      AtomicReference<DocHandle> loadedDuring = new AtomicReference<>();
      repo.addDocumentListener(
          handle -> {
            if (!handle.id().equals(old.id()) && loadedDuring.get() == null) {
              repo.evict(old.id());
              loadedDuring.set(repo.find(old.id()).orElseThrow());
            }
          });

      DocHandle successor = repo.compact(old.id());

      DocHandle loaded = java.util.Objects.requireNonNull(loadedDuring.get());
      DocumentCompactedException e =
          assertThrows(
              DocumentCompactedException.class,
              () -> loaded.change(tx -> tx.put(ObjId.ROOT, "b", 2)));
      assertEquals(successor.id(), e.successorId());
    }
  }
}
