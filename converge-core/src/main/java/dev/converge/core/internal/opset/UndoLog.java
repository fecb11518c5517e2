package dev.converge.core.internal.opset;

import java.util.ArrayList;

/**
 * The inverse of every mutation made since it was opened, so a transaction that throws, or a remote
 * change that turns out to be invalid halfway, leaves the op set exactly as it was.
 */
public final class UndoLog {
  private final ArrayList<Runnable> steps = new ArrayList<>();

  void record(Runnable inverse) {
    steps.add(inverse);
  }

  /** Undoes every recorded mutation, newest first, and empties the log. */
  public void rollback() {
    for (int i = steps.size() - 1; i >= 0; i--) {
      steps.get(i).run();
    }
    steps.clear();
  }

  /** Forgets the recorded mutations: they are now permanent. */
  public void clear() {
    steps.clear();
  }
}
