package dev.converge.net;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which connection speaks for each peer ID, bound to the user (the transport's principal) who
 * joined with it. A newer connection of the same user takes the ID over, as a client that
 * reconnects before its old socket is noticed dead must; a connection of another user is refused
 * while the holder is open, or any client with a token could disconnect any other by joining with
 * its peer ID. Without authentication every connection is the same anonymous user.
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

  /** Another user's open connection holds the ID. */
  record Refused<S>(S holder) implements Claim<S> {
    Refused {
      Objects.requireNonNull(holder, "holder");
    }
  }

  private final Map<String, S> holders = new ConcurrentHashMap<>();
  private final Function<S, Optional<String>> principal;
  private final Predicate<S> closed;

  /**
   * @param principal who a connection authenticated as
   * @param closed whether a connection has closed (a closed holder never blocks a claim)
   */
  PeerIds(Function<S, Optional<String>> principal, Predicate<S> closed) {
    this.principal = principal;
    this.closed = closed;
  }

  /** {@code claimant} asks for {@code peerId}. */
  Claim<S> claim(String peerId, S claimant) {
    Object[] replaced = new Object[1];
    S holder =
        holders.compute(
            peerId,
            (id, older) -> {
              if (older == null
                  || older == claimant
                  || closed.test(older)
                  || principal.apply(older).equals(principal.apply(claimant))) {
                replaced[0] = older == claimant ? null : older;
                return claimant;
              }
              return older;
            });
    if (holder != claimant) {
      return new Refused<>(holder);
    }
    @SuppressWarnings("unchecked") // only an S is ever stored in it
    S before = (S) replaced[0];
    return new Granted<>(before);
  }

  /** {@code session} no longer speaks for {@code peerId}, if it did. */
  void release(String peerId, S session) {
    holders.remove(peerId, session);
  }
}
