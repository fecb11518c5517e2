package dev.converge.sim;

/** Counts of what happened in one run, for the summary. Mutable; single-threaded. */
final class SimStats {
  long steps;
  long livenessSteps;
  long localChanges;
  long messagesSent;
  long messagesDelivered;
  long messagesDropped;
  long messagesDuplicated;
  long messagesReadAsV1;
  long sessionsOpened;
  long sessionsClosedGap;
  long sessionsClosedTimeout;
  long sessionsClosedWatchdog;
  long sessionsClosedRandom;
  long crashes;
  long recordsLost;
  long tornRecordsDropped;
  long bitFlips;
  long corruptRecordsFound;
  long changesRepairedFromPeers;
  long partitions;
  long clockJumps;
  long changesDroppedByPlantedBug;

  @Override
  public String toString() {
    return "steps "
        + steps
        + " (+"
        + livenessSteps
        + " to converge), local changes "
        + localChanges
        + ", messages sent "
        + messagesSent
        + " delivered "
        + messagesDelivered
        + " dropped "
        + messagesDropped
        + " duplicated "
        + messagesDuplicated
        + " read by a v1-only replica "
        + messagesReadAsV1
        + ", sessions opened "
        + sessionsOpened
        + " closed on gap "
        + sessionsClosedGap
        + " timeout "
        + sessionsClosedTimeout
        + " watchdog "
        + sessionsClosedWatchdog
        + " random "
        + sessionsClosedRandom
        + ", crashes "
        + crashes
        + " (unsynced records lost "
        + recordsLost
        + ", torn records dropped at restart "
        + tornRecordsDropped
        + "), bit flips "
        + bitFlips
        + " (corrupt records found at restart "
        + corruptRecordsFound
        + ", acknowledged changes repaired from peers "
        + changesRepairedFromPeers
        + "), partitions "
        + partitions
        + ", clock jumps "
        + clockJumps;
  }
}
