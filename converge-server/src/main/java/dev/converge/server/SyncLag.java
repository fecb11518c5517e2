package dev.converge.server;

/**
 * The server's sync lag so far: from the arrival of a frame carrying changes to the hand-off of
 * those changes to each other client of the document, in milliseconds (percentiles are Micrometer's
 * decaying estimates over the last few minutes).
 *
 * @param count how many hand-offs were measured
 */
public record SyncLag(
    long count, double p50Millis, double p99Millis, double p999Millis, double maxMillis) {}
