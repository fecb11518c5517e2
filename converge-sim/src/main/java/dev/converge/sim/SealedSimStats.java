package dev.converge.sim;

/** Counts of what happened in one sealed-simulation run, for its summary line. */
final class SealedSimStats {
  long steps;
  long convergenceRounds;
  long edits;
  long syncs;
  long syncsInSync;
  long syncsFailed;
  long envelopesOpened;
  long envelopesRefused;
  long exchanges;
  long partitions;
  long partitionedExchanges;
  long requestsDropped;
  long answersDropped;
  long envelopesReordered;
  long envelopesDuplicated;
  long envelopeBitsFlipped;
  long deviceRestarts;
  long relayRestarts;

  @Override
  public String toString() {
    return "steps "
        + steps
        + ", convergence rounds "
        + convergenceRounds
        + ", edits "
        + edits
        + ", syncs "
        + syncs
        + " ("
        + syncsInSync
        + " in sync, "
        + syncsFailed
        + " failed), envelopes opened "
        + envelopesOpened
        + ", envelopes refused "
        + envelopesRefused
        + ", exchanges "
        + exchanges
        + ", partitions "
        + partitions
        + " ("
        + partitionedExchanges
        + " exchanges cut off), requests dropped "
        + requestsDropped
        + ", answers dropped "
        + answersDropped
        + ", envelopes reordered "
        + envelopesReordered
        + ", envelopes duplicated "
        + envelopesDuplicated
        + ", envelope bits flipped "
        + envelopeBitsFlipped
        + ", device restarts "
        + deviceRestarts
        + ", relay restarts "
        + relayRestarts;
  }
}
