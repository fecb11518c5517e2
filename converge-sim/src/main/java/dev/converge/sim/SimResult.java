package dev.converge.sim;

import java.util.Optional;

/**
 * The outcome of one run.
 *
 * @param options what was run
 * @param profile the faults the seed chose
 * @param summary counts of what happened, one line
 * @param finalHeadsCount how many heads the replicas ended with (all equal when passed)
 * @param changeCount how many changes the converged document holds
 * @param failure what went wrong, empty when every invariant held and the replicas converged
 */
public record SimResult(
    SimOptions options,
    String profile,
    String summary,
    int finalHeadsCount,
    int changeCount,
    Optional<String> failure) {

  public boolean passed() {
    return failure.isEmpty();
  }

  /** A multi-line report: options, profile, counts, result, and the replay command on failure. */
  public String report() {
    StringBuilder out = new StringBuilder();
    out.append("seed ")
        .append(options.seed())
        .append(", steps ")
        .append(options.steps())
        .append(", replicas ")
        .append(options.replicas());
    if (options.plantedBug() != PlantedBug.NONE) {
      out.append(", planted bug ").append(options.plantedBug());
    }
    out.append('\n').append("faults: ").append(profile).append('\n');
    out.append(summary).append('\n');
    out.append("final heads ").append(finalHeadsCount).append(", changes ").append(changeCount);
    out.append('\n');
    if (failure.isPresent()) {
      out.append("FAILED: ").append(failure.get()).append('\n');
      out.append("replay: ").append(options.replayCommand()).append('\n');
    } else {
      out.append("PASSED\n");
    }
    return out.toString();
  }
}
