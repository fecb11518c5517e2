package dev.converge.core.sync;

import dev.converge.core.ChangeHash;
import java.util.List;
import java.util.Objects;

/**
 * What the sender of a sync message already has: the heads both peers had at their last sync, and a
 * Bloom filter of every change the sender added since then. It asks the receiver to send the
 * changes the filter does not contain.
 *
 * @param lastSync the heads at the last sync, sorted
 * @param bloom the sender's changes that {@code lastSync} has not seen
 */
public record Have(List<ChangeHash> lastSync, BloomFilter bloom) {
  /** The have of a peer that asks for everything: no last sync, an empty filter. */
  public static final Have EVERYTHING = new Have(List.of(), BloomFilter.empty());

  public Have {
    lastSync = List.copyOf(lastSync);
    Objects.requireNonNull(bloom, "bloom");
  }
}
