package dev.converge.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Prints the side-by-side table of one trace, then its JSON lines. */
final class SummaryTable {
  private static final String ROW = "%-26s %10s %10s %10s %10s %10s %10s%n";

  private SummaryTable() {}

  static void print(PrintStream out, Map<String, EngineSummary> summaries) {
    if (summaries.isEmpty()) {
      return;
    }
    out.printf(
        Locale.ROOT,
        ROW,
        "engine",
        "apply ms",
        "save ms",
        "bytes",
        "load ms",
        "heap MB",
        "native MB");
    for (EngineSummary summary : summaries.values()) {
      boolean saved = summary.hasSaveLoad();
      Footprint footprint = summary.footprint();
      out.printf(
          Locale.ROOT,
          ROW,
          summary.engine(),
          EngineSummary.decimal(summary.applyMs()),
          saved ? EngineSummary.decimal(summary.saveMs()) : "n/a",
          saved ? Integer.toString(summary.bytes()) : "n/a",
          saved ? EngineSummary.decimal(summary.loadMs()) : "n/a",
          footprint == null ? "n/a" : EngineSummary.decimal(footprint.heapMb()),
          footprint == null ? "n/a" : orNa(footprint.nativeMb()));
    }
    List<String> ratios = new ArrayList<>();
    EngineSummary converge = summaries.get(Engines.CONVERGE);
    EngineSummary automerge = summaries.get(Engines.AUTOMERGE_JNI);
    if (converge != null && automerge != null) {
      boolean saved = converge.hasSaveLoad() && automerge.hasSaveLoad();
      Footprint mine = converge.footprint();
      Footprint theirs = automerge.footprint();
      out.printf(
          Locale.ROOT,
          ROW,
          "ratio converge/automerge",
          EngineSummary.ratio(converge.applyMs(), automerge.applyMs()),
          saved ? EngineSummary.ratio(converge.saveMs(), automerge.saveMs()) : "n/a",
          saved ? EngineSummary.ratio(converge.bytes(), automerge.bytes()) : "n/a",
          saved ? EngineSummary.ratio(converge.loadMs(), automerge.loadMs()) : "n/a",
          mine == null || theirs == null
              ? "n/a"
              : "mem " + EngineSummary.ratio(mine.totalMb(), theirs.totalMb()),
          "");
      ratios.add(converge.ratioJson(automerge));
    }
    for (EngineSummary summary : summaries.values()) {
      out.println(summary.toJson());
    }
    ratios.forEach(out::println);
  }

  private static String orNa(@Nullable Double value) {
    return value == null ? "n/a" : EngineSummary.decimal(value);
  }
}
