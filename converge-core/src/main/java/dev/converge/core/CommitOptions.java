package dev.converge.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Options for one local change: its message and its time. Without a time the document's {@link
 * HybridClock} issues one.
 */
public final class CommitOptions {
  private static final CommitOptions DEFAULTS =
      new CommitOptions(Optional.empty(), OptionalLong.empty());

  private final Optional<String> message;
  private final OptionalLong time;

  private CommitOptions(Optional<String> message, OptionalLong time) {
    this.message = message;
    this.time = time;
  }

  public static CommitOptions defaults() {
    return DEFAULTS;
  }

  /**
   * These options with {@code message}. An empty message is kept as such, as Automerge does: a
   * saved document records it apart from no message at all.
   */
  public CommitOptions withMessage(String message) {
    Objects.requireNonNull(message, "message");
    return new CommitOptions(Optional.of(message), time);
  }

  /**
   * These options with the change's time in seconds since the epoch (Automerge's unit), recorded as
   * given instead of the document clock's time.
   */
  public CommitOptions withTime(long seconds) {
    return new CommitOptions(message, OptionalLong.of(seconds));
  }

  public Optional<String> message() {
    return message;
  }

  public OptionalLong time() {
    return time;
  }
}
