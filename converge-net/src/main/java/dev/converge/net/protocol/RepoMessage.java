package dev.converge.net.protocol;

import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One automerge-repo wire message: the handshake ({@link Join}, {@link Peer}, {@link
 * ProtocolError}) and the repo messages that follow it. Every message has a {@code type} and a
 * {@code senderId}; all but {@code join} have a {@code targetId}. {@link Unknown} keeps a message
 * of a type this version does not know, so that it can be ignored rather than refused.
 */
public sealed interface RepoMessage {
  /** The protocol version this implementation speaks. */
  String PROTOCOL_VERSION = "1";

  /** The wire {@code type} string. */
  default String type() {
    return typeOf(this);
  }

  String senderId();

  /** A message that concerns one document. */
  sealed interface DocumentMessage extends RepoMessage {
    DocumentId documentId();

    String targetId();
  }

  /** Client to server, first: who I am and which protocol versions I speak. */
  record Join(String senderId, PeerMetadata peerMetadata, List<String> supportedProtocolVersions)
      implements RepoMessage {
    public Join {
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(peerMetadata, "peerMetadata");
      supportedProtocolVersions = List.copyOf(supportedProtocolVersions);
    }
  }

  /** Server to client, the answer to {@link Join}. */
  record Peer(
      String senderId, String targetId, PeerMetadata peerMetadata, String selectedProtocolVersion)
      implements RepoMessage {
    public Peer {
      requireAddress(senderId, targetId);
      Objects.requireNonNull(peerMetadata, "peerMetadata");
      Objects.requireNonNull(selectedProtocolVersion, "selectedProtocolVersion");
    }
  }

  /** A fatal protocol error; the sender closes the connection after it. */
  record ProtocolError(String senderId, @Nullable String targetId, String message)
      implements RepoMessage {
    public ProtocolError {
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(message, "message");
    }
  }

  /** The first sync message from a peer that does not have the document. */
  record Request(String senderId, String targetId, DocumentId documentId, Bytes data)
      implements DocumentMessage {
    public Request {
      requireAddress(senderId, targetId, documentId);
      Objects.requireNonNull(data, "data");
    }
  }

  /** An Automerge sync message ({@code data}) for one document. */
  record Sync(String senderId, String targetId, DocumentId documentId, Bytes data)
      implements DocumentMessage {
    public Sync {
      requireAddress(senderId, targetId, documentId);
      Objects.requireNonNull(data, "data");
    }
  }

  /** The sender has no copy of the document and knows no peer with one, or denies access. */
  record DocUnavailable(String senderId, String targetId, DocumentId documentId)
      implements DocumentMessage {
    public DocUnavailable {
      requireAddress(senderId, targetId, documentId);
    }
  }

  /**
   * Application data about a document that is never stored (presence, cursors): {@code data} is
   * CBOR chosen by the application; {@code count} increases per {@code sessionId} of the sender.
   */
  record Ephemeral(
      String senderId,
      String targetId,
      DocumentId documentId,
      Bytes data,
      long count,
      String sessionId)
      implements DocumentMessage {
    public Ephemeral {
      requireAddress(senderId, targetId, documentId);
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(sessionId, "sessionId");
    }

    /** The same message addressed to {@code peer}, as a relay forwards it. */
    public Ephemeral withTargetId(String peer) {
      return new Ephemeral(senderId, peer, documentId, data, count, sessionId);
    }
  }

  /** Subscribe to or unsubscribe from remote-heads gossip about the given storage IDs. */
  record RemoteSubscriptionChange(
      String senderId, String targetId, List<String> add, List<String> remove)
      implements RepoMessage {
    public RemoteSubscriptionChange {
      requireAddress(senderId, targetId);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /** Heads of a document at a storage peer, as {@code remote-heads-changed} reports them. */
  record RemoteHeads(List<String> heads, long timestamp) {
    public RemoteHeads {
      heads = List.copyOf(heads);
    }
  }

  /** Gossip of other storage peers' heads of one document. */
  record RemoteHeadsChanged(
      String senderId, String targetId, DocumentId documentId, Map<String, RemoteHeads> newHeads)
      implements DocumentMessage {
    public RemoteHeadsChanged {
      requireAddress(senderId, targetId, documentId);
      newHeads = Map.copyOf(newHeads);
    }
  }

  /**
   * Converge's own, not automerge-repo's: one message of the sealed-document relay protocol in
   * {@code data} (docs/sealed.md, "Relay protocol"). A client sends a request, the server answers
   * with one such message; a peer that does not relay sealed documents ignores the type.
   */
  record Sealed(String senderId, String targetId, Bytes data) implements RepoMessage {
    /** The wire type. */
    public static final String TYPE = "converge-sealed";

    public Sealed {
      requireAddress(senderId, targetId);
      Objects.requireNonNull(data, "data");
    }
  }

  /** A message of a type this version does not know, kept whole (the frame as received). */
  record Unknown(String type, String senderId, @Nullable String targetId, Bytes frame)
      implements RepoMessage {
    public Unknown {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(frame, "frame");
    }
  }

  /** The fixed wire type of each kind of message; {@link Unknown} keeps the one it arrived with. */
  private static String typeOf(RepoMessage message) {
    if (message instanceof Join) {
      return "join";
    } else if (message instanceof Peer) {
      return "peer";
    } else if (message instanceof ProtocolError) {
      return "error";
    } else if (message instanceof Request) {
      return "request";
    } else if (message instanceof Sync) {
      return "sync";
    } else if (message instanceof DocUnavailable) {
      return "doc-unavailable";
    } else if (message instanceof Ephemeral) {
      return "ephemeral";
    } else if (message instanceof RemoteSubscriptionChange) {
      return "remote-subscription-change";
    } else if (message instanceof RemoteHeadsChanged) {
      return "remote-heads-changed";
    } else if (message instanceof Sealed) {
      return Sealed.TYPE;
    }
    throw new AssertionError("no fixed type: " + message.getClass());
  }

  /** Checks the sender and target every message after the handshake names. */
  private static void requireAddress(String senderId, String targetId) {
    Objects.requireNonNull(senderId, "senderId");
    Objects.requireNonNull(targetId, "targetId");
  }

  /** Checks the sender, target and document every {@link DocumentMessage} names. */
  private static void requireAddress(String senderId, String targetId, DocumentId documentId) {
    requireAddress(senderId, targetId);
    Objects.requireNonNull(documentId, "documentId");
  }
}
