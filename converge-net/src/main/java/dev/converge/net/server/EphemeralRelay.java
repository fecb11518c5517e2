package dev.converge.net.server;

import dev.converge.net.internal.HighWaterMarks;
import dev.converge.net.internal.SharedDocument;
import dev.converge.net.protocol.MessageCodec;
import dev.converge.net.protocol.RepoMessage.Ephemeral;

/**
 * Relays ephemeral messages to the other peers of their document, never storing them. A message is
 * passed on once per sender session and count (a stale or repeated count is dropped), only from a
 * peer that syncs the document (so has access to it), and is the first traffic dropped when a
 * receiver lags.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class EphemeralRelay {
  private static final int EPHEMERAL_SESSIONS_MAX = 4096;

  /**
   * What an ephemeral message's frame adds to its data, at most: the field names, the count, and
   * four identifiers of at most {@link ClientIdentifiers#CHARS_MAX} characters (document IDs are
   * shorter), each up to 3 bytes a character in UTF-8.
   */
  private static final int EPHEMERAL_ENVELOPE_BYTES_MAX = 128 + 4 * 3 * ClientIdentifiers.CHARS_MAX;

  private final ServerDocuments documents;
  private final MessageCodec codec;
  private final NetworkObserver observer;
  private final HighWaterMarks counts = new HighWaterMarks(EPHEMERAL_SESSIONS_MAX);

  EphemeralRelay(ServerDocuments documents, MessageCodec codec, NetworkObserver observer) {
    this.documents = documents;
    this.codec = codec;
    this.observer = observer;
  }

  /** Offers {@code ephemeral}, whose data {@code source} checked, to the document's other peers. */
  void relay(ServerSession source, Ephemeral ephemeral) {
    if (!source.documents.contains(ephemeral.documentId())) {
      return; // only peers syncing a document (so with access to it) speak about it
    }
    String key = ephemeral.senderId() + ":" + ephemeral.sessionId();
    if (!counts.advance(key, ephemeral.count())) {
      return;
    }
    SharedDocument<ServerSession> shared = documents.get(ephemeral.documentId());
    if (shared == null) {
      return;
    }
    for (ServerSession target : shared.peers()) {
      String targetId = target.peerId;
      if (target != source && targetId != null) {
        offer(target, ephemeral.withTargetId(targetId));
      }
    }
  }

  /**
   * Sends {@code target} an ephemeral message the transport may drop when that peer lags or memory
   * runs short; a dropped one is never encoded (a 512 KiB message fanned out to a dozen lagging
   * peers would otherwise allocate a dozen copies only to drop them).
   */
  private void offer(ServerSession target, Ephemeral message) {
    int[] frameBytes = new int[1];
    boolean queued =
        target.connection.offer(
            message.data().length() + EPHEMERAL_ENVELOPE_BYTES_MAX,
            () -> {
              byte[] frame = codec.encode(message);
              frameBytes[0] = frame.length;
              return frame;
            });
    if (queued) {
      observer.messageSent(message.type(), frameBytes[0]);
    } else {
      observer.messageDropped(message.type());
    }
  }
}
