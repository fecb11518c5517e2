package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.memory.InMemoryStorage;
import dev.converge.repo.sealed.relay.Relay;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sealed sync returns once the envelopes' changes are in the document, before the log holds them
 * (as a plaintext sync does); the envelopes are recorded as applied only once it does.
 *
 * <p>How: the reading device's repository sits on {@link HeldAppends}, whose appends wait until the
 * test releases them, or fail as if the process died first; its {@code sealed.sqlite} is on disk,
 * and a restart reopens both over what survived.
 */
class SealedDurabilityTest {
  @TempDir Path dir;

  @Test
  void readerCrash_beforeLogDurable_nextSyncRefetchesAndConverges() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(21)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      alice.put(id, "notes", "medical");
      assertTrue(alice.sync(id, relay).inSync());
      InMemoryStorage survives = new InMemoryStorage();
      HeldAppends log = new HeldAppends(survives);
      Repo repo = Repo.open(log, RepoOptions.defaults());
      SealedRepo sealed = SealedRepo.open(repo, dir, SealedLimits.DEFAULT, Device.seeded(22));
      sealed.join(link);
      log.hold();
      SyncReport first = sealed.sync(id, Device.channel(relay));
      assertTrue(first.inSync(), first.toString());
      assertTrue(log.heldCount() > 0, "the sync returned before the log held the changes");
      assertEquals(alice.json(id), repo.find(id).orElseThrow().toJson());
      log.crash();
      sealed.close();
      repo.close();

      try (Repo again = Repo.open(survives, RepoOptions.defaults());
          SealedRepo sealedAgain =
              SealedRepo.open(again, dir, SealedLimits.DEFAULT, Device.seeded(23))) {
        assertTrue(sealedAgain.document(id).applied.isEmpty(), "nothing recorded as applied");
        SyncReport second = sealedAgain.sync(id, Device.channel(relay));
        assertTrue(second.inSync(), second.toString());
        assertTrue(second.envelopesOpened() > 0, second.toString());
        assertEquals(alice.json(id), again.find(id).orElseThrow().toJson());
      }
    }
  }

  @Test
  void readerLog_durableAfterSync_recordsAppliedAndRefetchesNothing() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(31)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      assertTrue(alice.sync(id, relay).inSync());
      InMemoryStorage survives = new InMemoryStorage();
      HeldAppends log = new HeldAppends(survives);
      try (Repo repo = Repo.open(log, RepoOptions.defaults());
          SealedRepo sealed = SealedRepo.open(repo, dir, SealedLimits.DEFAULT, Device.seeded(32))) {
        sealed.join(link);
        log.hold();
        assertTrue(sealed.sync(id, Device.channel(relay)).inSync());
        assertTrue(log.heldCount() > 0);
        log.release();
        sealed.awaitDurable(id);
      }
      try (Repo again = Repo.open(survives, RepoOptions.defaults());
          SealedRepo sealedAgain =
              SealedRepo.open(again, dir, SealedLimits.DEFAULT, Device.seeded(33))) {
        assertEquals(1, sealedAgain.document(id).applied.size());
        SyncReport second = sealedAgain.sync(id, Device.channel(relay));
        assertTrue(second.inSync(), second.toString());
        assertEquals(0, second.envelopesOpened(), second.toString());
        assertEquals(alice.json(id), again.find(id).orElseThrow().toJson());
      }
    }
  }
}
