package dev.converge.repo.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.relay.Relay;
import org.junit.jupiter.api.Test;

/**
 * Devices sharing sealed documents through a relay in memory.
 *
 * <p>How: each device is a repository in memory with seeded randomness ({@link Device}); every
 * request goes through the wire codec to a {@link Relay}; a test syncs devices in turn, as a
 * command line would, and compares the documents' JSON.
 */
class SealedSyncTest {
  @Test
  void twoDevices_throughRelay_converge() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(1);
        Device bob = new Device(2)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      SyncReport first = alice.sync(id, relay);
      assertTrue(first.inSync(), first.toString());
      bob.sealed.join(link);
      SyncReport joined = bob.sync(id, relay);
      assertTrue(joined.inSync(), joined.toString());
      assertEquals("{\"title\":\"plans\"}", bob.json(id));
      bob.put(id, "by", "bob");
      assertTrue(bob.sync(id, relay).inSync());
      alice.put(id, "also", "alice");
      assertTrue(alice.sync(id, relay).inSync());
      assertTrue(bob.sync(id, relay).inSync());
      assertEquals(alice.json(id), bob.json(id));
      assertTrue(alice.json(id).contains("\"by\":\"bob\""), alice.json(id));
      assertEquals(3, alice.sealed.members(id).size()); // alice, bob, the invite
    }
  }

  @Test
  void removedMember_afterRemoval_cannotRead() {
    try (Relay relay = Relay.inMemory(SealedLimits.DEFAULT);
        Device alice = new Device(11);
        Device bob = new Device(12);
        Device carol = new Device(13)) {
      ShareLink link = alice.create("title", "plans");
      DocumentId id = link.documentId();
      alice.sync(id, relay);
      bob.sealed.join(link);
      carol.sealed.join(link);
      assertTrue(bob.sync(id, relay).inSync());
      assertTrue(carol.sync(id, relay).inSync());
      assertTrue(alice.sync(id, relay).inSync());
      alice.sealed.removeMember(id, bob.sealed.deviceKey());
      assertTrue(alice.sync(id, relay).inSync());
      alice.put(id, "secret", "after removal");
      assertTrue(alice.sync(id, relay).inSync());
      assertTrue(carol.sync(id, relay).inSync());
      assertTrue(carol.json(id).contains("after removal"), carol.json(id));
      SyncReport removed = bob.sync(id, relay);
      assertFalse(removed.inSync());
      assertFalse(bob.json(id).contains("after removal"), bob.json(id));
      assertTrue(bob.json(id).contains("plans"), bob.json(id));
      assertTrue(
          removed.rejected().stream()
              .anyMatch(
                  e ->
                      e instanceof EnvelopeRejectedException rejection
                          && rejection.reason() == EnvelopeRejectedException.Reason.NO_KEY),
          removed.rejected().toString());
    }
  }
}
