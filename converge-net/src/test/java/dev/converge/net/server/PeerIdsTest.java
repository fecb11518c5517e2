package dev.converge.net.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link PeerIds}: a peer ID belongs to the first user who joins with it. */
class PeerIdsTest {
  private record Conn(String name, Optional<String> user) {}

  private final Set<Conn> closed = new HashSet<>();
  private final PeerIds<Conn> ids = new PeerIds<>(3, Conn::user, closed::contains);
  private final Conn alice = new Conn("alice-1", Optional.of("alice"));
  private final Conn aliceAgain = new Conn("alice-2", Optional.of("alice"));
  private final Conn mallory = new Conn("mallory", Optional.of("mallory"));

  @Test
  void claim_byTheOwner_isGranted_replacingItsOlderConnection() {
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", alice));
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", alice), "again: no-op");
    assertEquals(new PeerIds.Granted<>(alice), ids.claim("laptop", aliceAgain));
  }

  @Test
  void claim_byAnotherUser_isRefused_whetherTheOwnerIsConnectedOrNot() {
    ids.claim("laptop", alice);
    assertEquals(new PeerIds.Refused<Conn>(Optional.of("alice")), ids.claim("laptop", mallory));
    closed.add(alice);
    ids.release("laptop", alice);
    assertEquals(new PeerIds.Refused<Conn>(Optional.of("alice")), ids.claim("laptop", mallory));
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", aliceAgain));
  }

  @Test
  void claim_afterTheOwnerIsForgotten_startsAfresh_butNeverFromAnotherUsersOpenConnection() {
    ids.claim("laptop", alice);
    for (int i = 0; i < 3; i++) {
      ids.claim("other-" + i, mallory); // pushes the laptop's owner out of the 3 remembered
    }
    assertEquals(
        new PeerIds.Refused<Conn>(Optional.of("alice")),
        ids.claim("laptop", mallory),
        "alice still holds it open");
    closed.add(alice);
    ids.release("laptop", alice);
    for (int i = 3; i < 6; i++) {
      ids.claim("other-" + i, mallory);
    }
    assertEquals(new PeerIds.Granted<Conn>(null), ids.claim("laptop", mallory));
  }

  @Test
  void claim_anonymousConnections_areOneUser() {
    Conn first = new Conn("first", Optional.empty());
    Conn second = new Conn("second", Optional.empty());
    ids.claim("peer", first);
    assertEquals(new PeerIds.Granted<>(first), ids.claim("peer", second));
  }
}
