package dev.converge.net;

import dev.converge.core.sync.SyncLimits;
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
 */
public record SyncServerOptions(
    String peerId,
    String storageId,
    CodecLimits codecLimits,
    SyncLimits syncLimits,
    int documentsPerConnectionMax) {
  public SyncServerOptions {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(storageId, "storageId");
    Objects.requireNonNull(codecLimits, "codecLimits");
    Objects.requireNonNull(syncLimits, "syncLimits");
    if (documentsPerConnectionMax < 1) {
      throw new IllegalArgumentException(
          "documentsPerConnectionMax must be positive, was " + documentsPerConnectionMax);
    }
  }

  public static SyncServerOptions of(String peerId, String storageId) {
    return new SyncServerOptions(
        peerId, storageId, CodecLimits.DEFAULT, SyncLimits.DEFAULT, 10_000);
  }

  public SyncServerOptions withCodecLimits(CodecLimits value) {
    return new SyncServerOptions(peerId, storageId, value, syncLimits, documentsPerConnectionMax);
  }

  public SyncServerOptions withDocumentsPerConnectionMax(int value) {
    return new SyncServerOptions(peerId, storageId, codecLimits, syncLimits, value);
  }
}
