package dev.converge.net.server;

import dev.converge.net.protocol.RepoMessage;
import dev.converge.net.protocol.RepoMessage.Ephemeral;
import dev.converge.net.protocol.RepoMessage.Join;
import dev.converge.net.protocol.RepoMessage.RemoteHeads;
import dev.converge.net.protocol.RepoMessage.RemoteHeadsChanged;
import dev.converge.net.protocol.RepoMessage.RemoteSubscriptionChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the identifiers a server keeps from its peers' messages: peer IDs, storage IDs, ephemeral
 * session IDs and heads. A server holds thousands of them (one per peer, per session, per
 * subscription, per document's gossip), so their length, not only the frame's, decides its memory:
 * without this bound 4,096 remembered session IDs of 16 MiB each would fill any heap. Real ones are
 * short (UUIDs, base58 hashes); {@value #CHARS_MAX} characters is far beyond any of them.
 *
 * <p>Thread-safety: stateless.
 */
final class ClientIdentifiers {
  static final int CHARS_MAX = 256;

  private ClientIdentifiers() {}

  /** The first identifier of {@code message} a server would keep that is too long, described. */
  static Optional<String> firstTooLong(RepoMessage message) {
    String found = tooLong("senderId", message.senderId());
    if (found == null && message instanceof Join join) {
      found = tooLong("peerMetadata.storageId", join.peerMetadata().storageId());
    } else if (found == null && message instanceof Ephemeral ephemeral) {
      found = tooLong("sessionId", ephemeral.sessionId());
    } else if (found == null && message instanceof RemoteSubscriptionChange change) {
      found = firstTooLong("add", change.add());
      if (found == null) {
        found = firstTooLong("remove", change.remove());
      }
    } else if (found == null && message instanceof RemoteHeadsChanged changed) {
      for (Map.Entry<String, RemoteHeads> entry : changed.newHeads().entrySet()) {
        found = tooLong("a newHeads storage ID", entry.getKey());
        if (found == null) {
          found = firstTooLong("heads", entry.getValue().heads());
        }
        if (found != null) {
          break;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  private static @Nullable String firstTooLong(String field, List<String> values) {
    for (String value : values) {
      String found = tooLong("an entry of " + field, value);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static @Nullable String tooLong(String field, @Nullable String value) {
    if (value == null || value.length() <= CHARS_MAX) {
      return null;
    }
    return field
        + " is "
        + value.length()
        + " characters long, more than "
        + CHARS_MAX
        + ": "
        + ClientText.cut(value);
  }
}
