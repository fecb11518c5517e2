package dev.converge.core.sync;

import dev.converge.core.LoadOptions;
import java.util.Objects;

/**
 * Bounds on what a peer's sync message may make us allocate or compute, checked while decoding and
 * before anything is allocated from a count or length the peer sent.
 *
 * @param messageBytesMax the largest message accepted
 * @param hashesMax the most hashes in one hash list (heads, need, one have's lastSync)
 * @param havesMax the most have entries (Automerge sends one)
 * @param bloomBytesMax the largest Bloom filter, in bytes of bits
 * @param bloomProbesMax the most probes a Bloom filter may ask for per hash
 * @param changeEntriesMax the most entries in the changes list (v1 sends one per change)
 * @param load the limits for decoding the changes themselves
 */
public record SyncLimits(
    int messageBytesMax,
    int hashesMax,
    int havesMax,
    int bloomBytesMax,
    int bloomProbesMax,
    int changeEntriesMax,
    LoadOptions load) {
  /**
   * 256 MiB messages; 65,536 hashes per list; 64 haves; 32 MiB Bloom filters (26 million entries)
   * with up to 64 probes; 4 Mi change entries; {@link LoadOptions#DEFAULT} for the changes.
   */
  public static final SyncLimits DEFAULT =
      new SyncLimits(256 << 20, 1 << 16, 64, 32 << 20, 64, 1 << 22, LoadOptions.DEFAULT);

  public SyncLimits {
    requireNotNegative("messageBytesMax", messageBytesMax);
    requireNotNegative("hashesMax", hashesMax);
    requireNotNegative("havesMax", havesMax);
    requireNotNegative("bloomBytesMax", bloomBytesMax);
    requireNotNegative("bloomProbesMax", bloomProbesMax);
    requireNotNegative("changeEntriesMax", changeEntriesMax);
    Objects.requireNonNull(load, "load");
  }

  public SyncLimits withMessageBytesMax(int value) {
    return new SyncLimits(
        value, hashesMax, havesMax, bloomBytesMax, bloomProbesMax, changeEntriesMax, load);
  }

  public SyncLimits withHashesMax(int value) {
    return new SyncLimits(
        messageBytesMax, value, havesMax, bloomBytesMax, bloomProbesMax, changeEntriesMax, load);
  }

  public SyncLimits withBloomBytesMax(int value) {
    return new SyncLimits(
        messageBytesMax, hashesMax, havesMax, value, bloomProbesMax, changeEntriesMax, load);
  }

  public SyncLimits withLoad(LoadOptions value) {
    return new SyncLimits(
        messageBytesMax,
        hashesMax,
        havesMax,
        bloomBytesMax,
        bloomProbesMax,
        changeEntriesMax,
        value);
  }

  private static void requireNotNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
