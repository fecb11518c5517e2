package dev.converge.repo;

import static dev.converge.repo.CompactionWrites.writeAndWait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
 * Issue 21: a local write to a document being compacted, landing after the successor and the link
 * were stored but before the old document was purged, was appended and acknowledged, then deleted
 * by the purge: the successor never had it, so an acknowledged change was lost. The same window
 * stood between {@link Repo#settleForward}'s check that the old copy holds nothing new and its
 * purge. Now the old document's handle is retired under its lock in the same step that checks it
 * (or stores the successor): every later write is refused with {@link DocumentCompactedException}
 * naming the successor, and nothing acknowledged is ever purged.
 *
 * <p>The window is reached deterministically: a {@link Repo.DocumentListener} hears of the
 * successor between the two steps, and writes to the old handle there.
 */
class Issue21CompactWriteRaceTest {
  @TempDir Path dir;

  @Test
  void compact_writeBetweenLinkAndPurge_refusedNotLost() {
    try (Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(21)))) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", "before"));
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      repo.addDocumentListener(
          handle -> {
            if (handle != old && outcome.get() == null) {
              outcome.set(writeAndWait(old));
            }
          });

      DocHandle successor = repo.compact(old.id());

      // Acknowledged would mean the write must be in the successor; it is not, so it must have
      // been refused.
      Throwable refusal = outcome.get();
      DocumentCompactedException e = assertInstanceOf(DocumentCompactedException.class, refusal);
      assertEquals(successor.id(), e.successorId());
      assertTrue(String.valueOf(e.getMessage()).contains(successor.url().toString()));
      assertEquals("{\"a\":\"before\"}", successor.toJson());
      assertTrue(repo.isPurged(old.id()));
    }
  }

  @Test
  void settleForward_purged_laterWriteToOldHandleRefusedWithSuccessor() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      List<ChangeHash> compacted = old.heads();
      DocHandle successor = linkedSuccessor(repo, old, compacted);

      assertTrue(repo.settleForward(old.id()));

      DocumentCompactedException e =
          assertThrows(
              DocumentCompactedException.class, () -> old.change(tx -> tx.put(ObjId.ROOT, "b", 2)));
      assertEquals(successor.id(), e.successorId());
      assertEquals(compacted, old.heads()); // the refused write changed nothing
    }
  }

  @Test
  void settleForward_copyWithLaterEdits_keptAndStillWrites() {
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      old.change(tx -> tx.put(ObjId.ROOT, "a", 1));
      List<ChangeHash> compacted = old.heads();
      old.change(tx -> tx.put(ObjId.ROOT, "b", 2));
      linkedSuccessor(repo, old, compacted);

      assertFalse(repo.settleForward(old.id()));

      old.change(tx -> tx.put(ObjId.ROOT, "c", 3));
      old.whenDurable().join();
      assertFalse(repo.isPurged(old.id()));
    }
  }

  /** A successor holding {@code a: 1}, linked from {@code old} as compacted at {@code heads}. */
  private static DocHandle linkedSuccessor(Repo repo, DocHandle old, List<ChangeHash> heads) {
    DocHandle successor = repo.create();
    successor.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    repo.recordForward(new Forward(old.id().toString(), successor.id().toString(), heads));
    return successor;
  }
}
