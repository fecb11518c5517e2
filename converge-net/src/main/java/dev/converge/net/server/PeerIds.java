package dev.converge.net.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which connection speaks for each peer ID, and which user (the transport's principal) the ID
 * belongs to: the first user to join with it. Only that user's connections may use it; a newer one
 * takes the ID over from an older one, as a client that reconnects before its old socket is noticed
 * dead must. Another user's join is refused whether the owner is connected or not, or any client
 * with a token could disconnect another by joining with its peer ID (which ephemeral and gossip
 * messages reveal), or take the ID while its owner is offline and keep the owner out. Without
 * authentication every connection is the same anonymous user.
 *
 * <p>Owners are remembered for the {@code ownersMax} most recently used IDs: beyond, the least
 * recently used is forgotten, and its next claim starts afresh. That bounds the memory a peer that
 * invents IDs can take.
 *
 * <p>Thread-safety: safe for use by many threads; each claim is atomic.
 *
 * @param <S> a connection
 */
final class PeerIds<S> {
  /** The outcome of a {@link #claim}. */
  sealed interface Claim<S> {}

  /** The ID is the claimant's now; {@code replaced} held it before (the same user's), if any. */
  record Granted<S>(@Nullable S replaced) implements Claim<S> {}

  /** The ID belongs to {@code owner}, another user. */
  record Refused<S>(Optional<String> owner) implements Claim<S> {
    Refused {
      Objects.requireNonNull(owner, "owner");
    }
  }

  private final Map<String, S> holders = new ConcurrentHashMap<>();

  /** Guarded by itself; in access order, so the eldest is the least recently claimed. */
  private final Map<String, Optional<String>> owners;

  private final Function<S, Optional<String>> principal;
  private final Predicate<S> closed;

  /**
   * @param ownersMax how many IDs' owners to remember
   * @param principal who a connection authenticated as
   * @param closed whether a connection has closed (a closed holder is replaced by any claim its
   *     owner makes)
   */
  PeerIds(int ownersMax, Function<S, Optional<String>> principal, Predicate<S> closed) {
    if (ownersMax < 1) {
      throw new IllegalArgumentException("ownersMax must be positive, was " + ownersMax);
    }
    this.owners =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
            return size() > ownersMax;
          }
        };
    this.principal = principal;
    this.closed = closed;
  }

  /** {@code claimant} asks for {@code peerId}. */
  Claim<S> claim(String peerId, S claimant) {
    Optional<String> user = principal.apply(claimant);
    synchronized (owners) {
      Optional<String> owner = owners.computeIfAbsent(peerId, id -> user);
      S holder = holders.get(peerId);
      boolean heldByOther =
          holder != null
              && holder != claimant
              && !closed.test(holder)
              && !principal.apply(holder).equals(user);
      if (!owner.equals(user) || heldByOther) {
        // Held by another user only if its owner was forgotten meanwhile: it stays theirs.
        return new Refused<>(heldByOther ? principal.apply(holder) : owner);
      }
      holders.put(peerId, claimant);
      return new Granted<>(holder == claimant ? null : holder);
    }
  }

  /** {@code session} no longer speaks for {@code peerId}, if it did; the owner stays. */
  void release(String peerId, S session) {
    holders.remove(peerId, session);
  }
}
