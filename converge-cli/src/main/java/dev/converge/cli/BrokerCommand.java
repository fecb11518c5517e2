package dev.converge.cli;

import dev.converge.core.ConvergeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code converge broker}: a real single-node Apache Kafka broker (KRaft) on 127.0.0.1, for
 * development and tests. The broker's jars (Scala and Kafka's server: about 43 MB) are not in the
 * converge jar: the build copies them to {@code broker-lib/} beside it, and this command runs the
 * broker in a child JVM on that class path, passing its output through. The child watches a pipe
 * from this process and exits when it closes, so it never outlives this command, even a killed one;
 * SIGTERM or SIGINT here stops the broker cleanly first.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a single-node Apache Kafka broker (KRaft) on 127.0.0.1 for development and tests;"
          + " converge serve --kafka 127.0.0.1:PORT nodes share documents through it.",
      "Prints 'broker ready at 127.0.0.1:PORT' once it serves clients; stops on SIGINT or SIGTERM."
          + " The data directory is kept: a restart finds its topics and records again."
    })
final class BrokerCommand implements Callable<Integer> {
  private static final int PORT_MAX = 65_535;
  private static final String MAIN_CLASS = "dev.converge.broker.BrokerMain";

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "${env:CONVERGE_BROKER_PORT:-9092}",
      description = "Client port on 127.0.0.1, 1 to 65535 (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data",
      defaultValue = "${env:CONVERGE_BROKER_DATA:-converge-broker-data}",
      description =
          "Directory of the broker's data, created if missing (default ${DEFAULT-VALUE}).")
  Path data = Path.of("converge-broker-data");

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 1 || port > PORT_MAX) {
      throw new ParameterException(
          java.util.Objects.requireNonNull(spec).commandLine(),
          "--port must be 1 to " + PORT_MAX + ", found " + port);
    }
    ServeChecks.requireDirectory(data);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath()));
    command.add(MAIN_CLASS);
    command.addAll(
        List.of(
            "--port", Integer.toString(port), "--data", data.toString(), "--exit-on-stdin-eof"));
    Process broker =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    // Held open, never written: the child exits when it closes, that is when this JVM ends.
    OutputStream lifeline = broker.getOutputStream();
    Thread hook = new Thread(() -> stop(broker), "converge-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int exit = broker.waitFor();
    lifeline.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it waits for the broker.
    }
    // 143 is the broker's own clean exit after SIGTERM.
    return exit == 0 || exit == 143 ? ExitCodes.OK : ExitCodes.INTERNAL_ERROR;
  }

  private static void stop(Process broker) {
    broker.destroy();
    try {
      if (!broker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        broker.destroyForcibly();
      }
    } catch (InterruptedException e) {
      broker.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The broker's class path: {@code CONVERGE_BROKER_CLASSPATH} if set, else the build's {@code
   * converge-broker/target/converge-broker.jar} and the jars in {@code broker-lib/} beside it,
   * found from the converge jar at {@code converge-cli/target/}.
   */
  private static String classPath() throws IOException {
    String fromEnv = System.getenv("CONVERGE_BROKER_CLASSPATH");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    Path jar;
    try {
      jar =
          Path.of(BrokerCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toAbsolutePath();
    } catch (java.net.URISyntaxException | SecurityException e) {
      throw new IOException("cannot locate the converge jar", e);
    }
    Path root = jar.getParent() == null ? null : jar.getParent().getParent();
    Path target =
        root == null || root.getParent() == null
            ? Path.of("converge-broker", "target")
            : root.getParent().resolve("converge-broker").resolve("target");
    Path brokerJar = target.resolve("converge-broker.jar");
    Path lib = target.resolve("broker-lib");
    if (!Files.isRegularFile(brokerJar) || !Files.isDirectory(lib)) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "the broker's jars are not in "
              + target
              + ": build with 'mvn -pl converge-cli -am package' (./converge does), or set"
              + " CONVERGE_BROKER_CLASSPATH");
    }
    return brokerJar + java.io.File.pathSeparator + lib.resolve("*");
  }
}
