package dev.converge.net.server;

import dev.converge.core.ConvergeException;
import dev.converge.repo.sealed.RefusalReason;
import dev.converge.repo.sealed.RelayMessage;
import dev.converge.repo.sealed.RelayMessageCodec;
import dev.converge.repo.sealed.SealedLimits;
import dev.converge.repo.sealed.VersionVector;
import dev.converge.repo.sealed.relay.Relay;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link SyncServer} does with a {@code converge-sealed} message: checks the peer's access
 * to the document the relay message names, then lets the {@link Relay} answer it. A peer denied the
 * document hears what it would hear of a document the relay does not have, so access rules reveal
 * nothing about which sealed documents exist.
 *
 * <p>Thread-safety: safe for use by many threads, as the relay is.
 */
final class SealedRelayEndpoint {
  private final Relay relay;
  private final SealedLimits limits;
  private final DocumentAccess access;
  private final NetworkObserver observer;

  SealedRelayEndpoint(
      Relay relay, SealedLimits limits, DocumentAccess access, NetworkObserver observer) {
    this.relay = relay;
    this.limits = limits;
    this.access = access;
    this.observer = observer;
  }

  /** The encoded answer to one encoded request from a peer authenticated as {@code principal}. */
  byte[] answer(Optional<String> principal, byte[] request) {
    RelayMessage decoded;
    try {
      decoded = RelayMessageCodec.decode(request, limits);
    } catch (ConvergeException e) {
      return relay.handle(request); // the relay's error answer to a malformed request
    }
    if (!access.allows(principal, decoded.documentId())) {
      observer.accessDenied();
      return RelayMessageCodec.encode(unknown(decoded));
    }
    return RelayMessageCodec.encode(relay.handle(decoded));
  }

  private static RelayMessage unknown(RelayMessage request) {
    if (request instanceof RelayMessage.Have have) {
      return new RelayMessage.Offer(
          have.documentId(), false, 0, List.of(), VersionVector.EMPTY, List.of(), false);
    }
    return new RelayMessage.RelayError(
        request.documentId(), RefusalReason.UNKNOWN_DOCUMENT, "the relay has no such document");
  }
}
