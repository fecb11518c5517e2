package dev.converge.net.client;

import dev.converge.net.protocol.Bytes;
import dev.converge.repo.DocumentId;
import java.util.Objects;

/**
 * Application data about a document that a peer broadcast and nobody stores: presence, cursors,
 * selections. What automerge-repo's {@code handle.broadcast(value)} sends and its {@code
 * ephemeral-message} event reports.
 *
 * @param senderId the peer ID of the peer that broadcast it (not of a relay that passed it on)
 * @param documentId the document it is about
 * @param data the application's value as CBOR, as the sender encoded it: a JavaScript sender's
 *     value went through cbor-x, so decode it with any CBOR reader (Jackson's {@code CBORMapper},
 *     say). Not checked: it comes from a peer and is as hostile as any input.
 */
public record EphemeralMessage(String senderId, DocumentId documentId, Bytes data) {
  public EphemeralMessage {
    Objects.requireNonNull(senderId, "senderId");
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(data, "data");
  }
}
