package dev.converge.net.server;

import dev.converge.repo.DocumentId;
import org.slf4j.Logger;

/**
 * One connection's log of denied requests and syncs: the first {@link #LOGGED_MAX} are logged, the
 * rest only counted (by the metric), so that a client asking again and again cannot flood the log.
 *
 * <p>Thread-safety: not thread-safe; the session's handler thread uses it.
 */
final class DenialLog {
  static final int LOGGED_MAX = 10;

  private final Logger log;
  private int logged;

  DenialLog(Logger log) {
    this.log = log;
  }

  /** Logs the denial of {@code id} to {@code user} on connection {@code from}, if still allowed. */
  void denied(String user, String peer, String from, DocumentId id, boolean isRequest) {
    if (logged >= LOGGED_MAX) {
      return;
    }
    logged++;
    log.warn(
        "access denied user={} peer={} from={} document={} message={}{}",
        user,
        peer,
        from,
        id,
        isRequest ? "request" : "sync",
        logged == LOGGED_MAX
            ? " (further denials on this connection are counted, not logged)"
            : "");
  }
}
