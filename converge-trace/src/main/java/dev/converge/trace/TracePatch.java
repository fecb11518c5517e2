package dev.converge.trace;

/**
 * One edit of a trace txn: at {@code position} delete {@code deleteCount} characters, then insert
 * {@code insert} there. Positions and counts are Unicode code points, as the trace format says;
 * engines replay them in that unit.
 */
public record TracePatch(int position, int deleteCount, String insert) {
  public TracePatch {
    if (position < 0 || deleteCount < 0) {
      throw new IllegalArgumentException(
          "patch position and deleteCount must be >= 0, found ["
              + position
              + ", "
              + deleteCount
              + "]");
    }
  }
}
