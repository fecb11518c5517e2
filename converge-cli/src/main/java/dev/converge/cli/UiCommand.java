package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.Repo;
import dev.converge.server.inspector.InspectorServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge ui DIR}: the inspector of a local repository in the browser, read-only, on
 * 127.0.0.1 unless {@code --host} says otherwise. Prints its URL on one line, then serves until
 * interrupted. The repository is locked meanwhile, as by every command.
 */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description = {
      "Open the inspector of a local repository in the browser: documents with search, each"
          + " document's value, history, causal graph, time travel and diffs. Read-only.",
      "Prints 'http://HOST:PORT/' once it accepts connections; stops on SIGINT or SIGTERM."
    })
final class UiCommand implements Callable<Integer> {
  private static final int PORT_MAX = 65_535;

  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The repository directory.")
  Path dir = Path.of(".");

  @Option(
      names = "--port",
      defaultValue = "3031",
      description = "TCP port, 0 to 65535; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  /** Counted down to stop a command started in-process (tests); signals stop the CLI's. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > PORT_MAX) {
      throw new ParameterException(
          java.util.Objects.requireNonNull(spec).commandLine(),
          "--port must be 0 to " + PORT_MAX + ", found " + port);
    }
    ServeChecks.requireResolvable(host);
    Repo repo = LocalRepos.open(dir);
    InspectorServer server;
    try {
      server = start(repo);
    } catch (RuntimeException e) {
      repo.close();
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              server.close();
              repo.close();
            },
            "converge-ui-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = CommandOut.of(spec);
    out.println(server.url());
    out.flush();
    try {
      stop.await();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
        server.close();
        repo.close();
      } catch (IllegalStateException shuttingDown) {
        // The hook is running already and closes both.
      }
    }
    return ExitCodes.OK;
  }

  private InspectorServer start(Repo repo) {
    try {
      return InspectorServer.start(repo, host, port);
    } catch (IllegalStateException e) {
      java.net.BindException bind = ServeChecks.bindFailure(e).orElseThrow(() -> e);
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + ServeChecks.reason(bind)
              + " (is another inspector running there?)",
          e);
    }
  }
}
