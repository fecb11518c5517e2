package dev.converge.core;

import java.util.List;

/**
 * Changes cannot be applied because changes they depend on are absent, where the operation cannot
 * wait for them (for example loading a file made only of change chunks). Nothing was changed.
 */
public class MissingDependenciesException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  private final List<ChangeHash> missing;

  public MissingDependenciesException(List<ChangeHash> missing) {
    super(
        Kind.MISSING_DEPENDENCIES,
        "missing " + missing.size() + " dependencies, first " + missing.get(0));
    this.missing = List.copyOf(missing);
  }

  public List<ChangeHash> missing() {
    return missing;
  }
}
