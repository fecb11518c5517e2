package dev.converge.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a history view shows of one applied change, read from the document's change graph without
 * decoding the change's ops: its hash, author, place in its actor's chain, ops, time, message and
 * dependencies.
 *
 * @param opCount how many ops the change holds ({@code maxOp - startOp + 1})
 * @param time seconds since the Unix epoch, as {@link Change#time}
 * @param deps hashes of the direct predecessors, sorted
 */
public record ChangeSummary(
    ChangeHash hash,
    ActorId actor,
    long seq,
    long startOp,
    int opCount,
    long time,
    Optional<String> message,
    List<ChangeHash> deps) {
  public ChangeSummary {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(message, "message");
    deps = List.copyOf(deps);
    if (seq < 1 || startOp < 1 || opCount < 0) {
      throw new IllegalArgumentException(
          "seq and startOp start at 1 and opCount at 0: " + seq + ", " + startOp + ", " + opCount);
    }
  }
}
