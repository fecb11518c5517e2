package dev.converge.core.sync;

import dev.converge.core.LoadOptions;
import java.util.Objects;

/**
 * Bounds on what a peer's sync message may make us allocate or compute, checked while decoding and
 * before anything is allocated from a count or length the peer sent.
 *
 * @param maxMessageBytes the largest message accepted
 * @param maxHashes the most hashes in one hash list (heads, need, one have's lastSync)
 * @param maxHaves the most have entries (Automerge sends one)
 * @param maxBloomBytes the largest Bloom filter, in bytes of bits
 * @param maxBloomProbes the most probes a Bloom filter may ask for per hash
 * @param maxChangeEntries the most entries in the changes list (v1 sends one per change)
 * @param load the limits for decoding the changes themselves
 */
public record SyncLimits(
    int maxMessageBytes,
    int maxHashes,
    int maxHaves,
    int maxBloomBytes,
    int maxBloomProbes,
    int maxChangeEntries,
    LoadOptions load) {
  /**
   * 256 MiB messages; 65,536 hashes per list; 64 haves; 32 MiB Bloom filters (26 million entries)
   * with up to 64 probes; 4 Mi change entries; {@link LoadOptions#DEFAULT} for the changes.
   */
  public static final SyncLimits DEFAULT =
      new SyncLimits(256 << 20, 1 << 16, 64, 32 << 20, 64, 1 << 22, LoadOptions.DEFAULT);

  public SyncLimits {
    if (maxMessageBytes < 0
        || maxHashes < 0
        || maxHaves < 0
        || maxBloomBytes < 0
        || maxBloomProbes < 0
        || maxChangeEntries < 0) {
      throw new IllegalArgumentException("limits must not be negative: " + maxMessageBytes);
    }
    Objects.requireNonNull(load, "load");
  }

  public SyncLimits withMaxMessageBytes(int value) {
    return new SyncLimits(
        value, maxHashes, maxHaves, maxBloomBytes, maxBloomProbes, maxChangeEntries, load);
  }

  public SyncLimits withMaxHashes(int value) {
    return new SyncLimits(
        maxMessageBytes, value, maxHaves, maxBloomBytes, maxBloomProbes, maxChangeEntries, load);
  }

  public SyncLimits withMaxBloomBytes(int value) {
    return new SyncLimits(
        maxMessageBytes, maxHashes, maxHaves, value, maxBloomProbes, maxChangeEntries, load);
  }

  public SyncLimits withLoad(LoadOptions value) {
    return new SyncLimits(
        maxMessageBytes,
        maxHashes,
        maxHaves,
        maxBloomBytes,
        maxBloomProbes,
        maxChangeEntries,
        value);
  }
}
