package dev.converge.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link PeerIds}: who may take a peer ID over from whom. */
class PeerIdsTest {
  private record Conn(String name, Optional<String> user) {}

  private final Set<Conn> closed = new HashSet<>();
  private final PeerIds<Conn> ids = new PeerIds<>(Conn::user, closed::contains);

  @Test
  void claim_freeOrSameUserOrClosedHolder_isGranted_anotherUsersOpenHolder_isRefused() {
    Conn alice = new Conn("alice-1", Optional.of("alice"));
    Conn aliceAgain = new Conn("alice-2", Optional.of("alice"));
    Conn mallory = new Conn("mallory", Optional.of("mallory"));
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", alice));
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", alice), "again: no-op");
    assertEquals(new PeerIds.Refused<>(alice), ids.claim("laptop", mallory));
    assertEquals(new PeerIds.Granted<>(alice), ids.claim("laptop", aliceAgain));
    closed.add(aliceAgain);
    assertEquals(new PeerIds.Granted<>(aliceAgain), ids.claim("laptop", mallory));
  }

  @Test
  void release_onlyByTheHolder_freesTheId() {
    Conn alice = new Conn("alice", Optional.of("alice"));
    Conn bob = new Conn("bob", Optional.of("bob"));
    ids.claim("laptop", alice);
    ids.release("laptop", bob);
    assertEquals(new PeerIds.Refused<>(alice), ids.claim("laptop", bob));
    ids.release("laptop", alice);
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", bob));
  }

  @Test
  void claim_anonymousConnections_areOneUser() {
    Conn first = new Conn("first", Optional.empty());
    Conn second = new Conn("second", Optional.empty());
    ids.claim("peer", first);
    assertEquals(new PeerIds.Granted<>(first), ids.claim("peer", second));
  }
}
