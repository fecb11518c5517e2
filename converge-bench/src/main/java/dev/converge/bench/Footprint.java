package dev.converge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The retained memory of one engine's final document, as measured by {@link FootprintProbe} in a
 * child JVM (see there for the method).
 *
 * @param heapMb growth of the live Java heap
 * @param nativeMb growth of the resident set with a pre-touched heap, or null where not measured or
 *     not meaningful (Converge is pure Java)
 */
record Footprint(double heapMb, @Nullable Double nativeMb) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_MINUTES = 15;

  /** Heap plus native: what the ratio compares. */
  double totalMb() {
    Double nativePart = nativeMb;
    return heapMb + (nativePart == null ? 0 : nativePart);
  }

  /**
   * Runs {@link FootprintProbe} for {@code engine} on {@code trace} in a child JVM.
   *
   * @throws IOException if the child cannot be started, fails, or prints no result
   */
  static Footprint measure(String engine, Path trace) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions(engine));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FootprintProbe.class.getName());
    command.add(engine);
    command.add(trace.toString());
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("footprint probe for " + engine + " timed out: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while waiting for the footprint probe", e);
    }
    if (process.exitValue() != 0 || output.isEmpty()) {
      throw new IOException(
          "footprint probe for " + engine + " exited with " + process.exitValue() + ": " + command);
    }
    String last = output.substring(output.lastIndexOf('\n') + 1);
    JsonNode result = JSON.readTree(last);
    JsonNode nativeNode = result.path("native_mb");
    boolean nativeMeaningful = engine.equals(Engines.AUTOMERGE_JNI) && nativeNode.isNumber();
    return new Footprint(
        result.path("heap_mb").asDouble(), nativeMeaningful ? nativeNode.asDouble() : null);
  }

  /**
   * The child's JVM options. For the JNI binding, a fixed pre-touched heap so that VmRSS growth is
   * native memory, and C1 only to keep compiler arenas small. For Converge, the parent's own
   * options (its -Xmx in particular), since only the heap is read.
   */
  private static List<String> jvmOptions(String engine) {
    if (engine.equals(Engines.AUTOMERGE_JNI)) {
      return List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:TieredStopAtLevel=1");
    }
    List<String> options = new ArrayList<>();
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")) {
        options.add(option);
      }
    }
    return options;
  }
}
