package dev.converge.net.client;

import dev.converge.net.internal.DocumentListeners;
import dev.converge.net.internal.HighWaterMarks;
import dev.converge.net.protocol.Bytes;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.repo.DocumentId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A {@link RepoPeer}'s side of automerge-repo's ephemeral messages, as its NetworkSubsystem does
 * them: every message we send carries our session ID (random base-36 text, new with every peer
 * object) and the next count of that session, one count per message sent, so a broadcast to three
 * peers uses three counts; a message received is new only if its count is greater than the last one
 * seen for its {@code senderId:sessionId}, which drops the duplicates that relays in a loop or a
 * mesh deliver. The last counts of the {@value #SESSIONS_MAX} sessions heard most recently are
 * kept; a session forgotten and heard from again starts over.
 *
 * <p>Thread-safety: safe for use by many threads.
 */
final class EphemeralMessages {
  static final int SESSIONS_MAX = 4096;
  private static final int SESSION_ID_CHARS = 11;

  private final String sessionId;
  private final AtomicLong count = new AtomicLong();

  private final HighWaterMarks lastCounts = new HighWaterMarks(SESSIONS_MAX);

  private final DocumentListeners<RepoPeer.EphemeralListener> listeners = new DocumentListeners<>();

  EphemeralMessages(RandomGenerator random) {
    StringBuilder id = new StringBuilder(SESSION_ID_CHARS);
    for (int i = 0; i < SESSION_ID_CHARS; i++) {
      id.append(Character.forDigit(random.nextInt(36), 36));
    }
    this.sessionId = id.toString();
  }

  String sessionId() {
    return sessionId;
  }

  /** A new message from us, with the next count of our session. */
  Ephemeral outgoing(String senderId, String targetId, DocumentId documentId, Bytes data) {
    return new Ephemeral(senderId, targetId, documentId, data, count.incrementAndGet(), sessionId);
  }

  /** Whether {@code message} is new: its count is above the last one of its session. */
  boolean firstSeen(Ephemeral message) {
    return lastCounts.advance(message.senderId() + ":" + message.sessionId(), message.count());
  }

  void addListener(DocumentId documentId, RepoPeer.EphemeralListener listener) {
    listeners.add(documentId, listener);
  }

  void removeListener(DocumentId documentId, RepoPeer.EphemeralListener listener) {
    listeners.remove(documentId, listener);
  }

  /** Tells the listeners of the message's document, on the calling thread. */
  void deliver(Ephemeral message) {
    EphemeralMessage received =
        new EphemeralMessage(message.senderId(), message.documentId(), message.data());
    listeners.tell(message.documentId(), listener -> listener.received(received));
  }
}
