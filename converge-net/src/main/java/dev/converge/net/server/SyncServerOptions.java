package dev.converge.net.server;

import dev.converge.core.sync.SyncLimits;
import dev.converge.net.protocol.CodecLimits;
import java.util.Objects;

/**
 * Settings of a {@link SyncServer}.
 *
 * @param peerId our {@code senderId}
 * @param storageId our storage ID, announced in {@code peer}
 * @param codecLimits bounds on frames
 * @param syncLimits bounds on the sync messages inside them
 * @param documentsPerConnectionMax how many documents one connection may sync; beyond, {@code
 *     doc-unavailable}
 * @param access which authenticated peers may read and write which documents
 * @param messagesPerSecondMax how many messages one connection may send per second, on average (a
 *     burst of one second's worth is allowed); beyond, the connection is closed with an error
 */
public record SyncServerOptions(
    String peerId,
    String storageId,
    CodecLimits codecLimits,
    SyncLimits syncLimits,
    int documentsPerConnectionMax,
    DocumentAccess access,
    int messagesPerSecondMax) {
  public SyncServerOptions {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(storageId, "storageId");
    Objects.requireNonNull(codecLimits, "codecLimits");
    Objects.requireNonNull(syncLimits, "syncLimits");
    Objects.requireNonNull(access, "access");
    if (documentsPerConnectionMax < 1) {
      throw new IllegalArgumentException(
          "documentsPerConnectionMax must be positive, was " + documentsPerConnectionMax);
    }
    if (messagesPerSecondMax < 1) {
      throw new IllegalArgumentException(
          "messagesPerSecondMax must be positive, was " + messagesPerSecondMax);
    }
  }

  public static SyncServerOptions of(String peerId, String storageId) {
    return new SyncServerOptions(
        peerId,
        storageId,
        CodecLimits.DEFAULT,
        SyncLimits.DEFAULT,
        10_000,
        DocumentAccess.ALL,
        1_000);
  }

  public SyncServerOptions withCodecLimits(CodecLimits value) {
    return new SyncServerOptions(
        peerId,
        storageId,
        value,
        syncLimits,
        documentsPerConnectionMax,
        access,
        messagesPerSecondMax);
  }

  public SyncServerOptions withDocumentsPerConnectionMax(int value) {
    return new SyncServerOptions(
        peerId, storageId, codecLimits, syncLimits, value, access, messagesPerSecondMax);
  }

  public SyncServerOptions withMessagesPerSecondMax(int value) {
    return new SyncServerOptions(
        peerId, storageId, codecLimits, syncLimits, documentsPerConnectionMax, access, value);
  }

  public SyncServerOptions withAccess(DocumentAccess value) {
    return new SyncServerOptions(
        peerId,
        storageId,
        codecLimits,
        syncLimits,
        documentsPerConnectionMax,
        value,
        messagesPerSecondMax);
  }
}
