package dev.converge.trace;

import java.util.List;

/**
 * An editing trace: the txns to replay and the text they must produce. Immutable.
 *
 * @param name the file name without {@code .json} or {@code .json.gz}, used in reports
 * @param startContent the text before the first txn (empty in every published trace)
 * @param endContent the text after every txn, the replay's checksum
 * @param numAgents how many users made the txns (1 for a sequential trace)
 */
public record Trace(
    String name,
    TraceKind kind,
    String startContent,
    String endContent,
    int numAgents,
    List<TraceTxn> txns) {
  public Trace {
    if (numAgents < 1) {
      throw new IllegalArgumentException("numAgents must be >= 1, found " + numAgents);
    }
    txns = List.copyOf(txns);
  }

  /** The number of patches in all txns, reported as {@code ops}. */
  public long patchCount() {
    long count = 0;
    for (TraceTxn txn : txns) {
      count += txn.patches().size();
    }
    return count;
  }
}
