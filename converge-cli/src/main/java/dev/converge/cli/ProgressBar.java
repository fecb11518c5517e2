package dev.converge.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on stderr for long commands (import of many files, views rebuild,
 * simulator ranges, benchmark runs), redrawn in place with a carriage return. Only on a terminal:
 * when stderr goes to a file or a pipe ({@code System.console()} is absent) it prints nothing, so
 * scripts see plain output. Redraws only when the shown percentage changes.
 *
 * <p>Thread-safety: {@link #update} may be called from any thread; calls are serialised.
 */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final boolean terminal;
  private int shownPercent = -1;
  private boolean drawn;

  ProgressBar(PrintWriter err, String label, boolean terminal) {
    this.err = err;
    this.label = label;
    this.terminal = terminal;
  }

  /**
   * A bar drawn only when this process has a console. On Java 17, which Converge targets, {@code
   * System.console()} is null unless stdin and stdout are a terminal (from JDK 22 on it would need
   * {@code isTerminal()}).
   */
  @SuppressWarnings("SystemConsoleNull")
  static ProgressBar onConsole(PrintWriter err, String label) {
    return new ProgressBar(err, label, System.console() != null);
  }

  synchronized void update(long done, long total) {
    if (!terminal || total <= 0) {
      return;
    }
    long clamped = Math.max(0, Math.min(done, total));
    int percent = (int) (clamped * 100 / total);
    if (percent == shownPercent) {
      return;
    }
    shownPercent = percent;
    int filled = percent * WIDTH / 100;
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %3d%% (%d/%d)",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            percent,
            clamped,
            total));
    err.flush();
    drawn = true;
  }

  /**
   * Erases the bar, if one is drawn, so that a line printed to the same terminal (a result on
   * stdout) starts at the left margin; the next {@link #update} draws it again below that line.
   */
  synchronized void erase() {
    if (drawn) {
      err.print("\r" + " ".repeat(label.length() + WIDTH + 40) + "\r");
      err.flush();
      drawn = false;
      shownPercent = -1;
    }
  }

  /** Ends the bar's line, if one was drawn. */
  synchronized void finish() {
    if (drawn) {
      err.println();
      err.flush();
      drawn = false;
    }
  }
}
