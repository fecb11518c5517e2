package dev.converge.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fixed actor IDs of a replay, as 16 bytes: {@code "converge-trace"} then a big-endian 16-bit
 * number, 0 for the setup actor that creates the text object and {@code agent + 1} for an agent.
 * Fixed actors make each run produce the same ops (timestamps aside), and the concurrent traces
 * guarantee that no tie-break between actors changes the text.
 */
public final class TraceActors {
  private static final byte[] PREFIX = "converge-trace".getBytes(StandardCharsets.US_ASCII);

  private TraceActors() {}

  /** The actor that creates the document and its text object. */
  public static byte[] setup() {
    return actor(0);
  }

  /** The actor of trace agent {@code agent}. */
  public static byte[] agent(int agent) {
    if (agent < 0 || agent >= 0xffff) {
      throw new IllegalArgumentException("agent must be in 0..65534, found " + agent);
    }
    return actor(agent + 1);
  }

  private static byte[] actor(int number) {
    byte[] bytes = Arrays.copyOf(PREFIX, PREFIX.length + 2);
    bytes[PREFIX.length] = (byte) (number >>> 8);
    bytes[PREFIX.length + 1] = (byte) number;
    return bytes;
  }
}
