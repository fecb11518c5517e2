package dev.converge.cli;

import dev.converge.core.ConvergeException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The start-up checks of {@code converge serve} that depend on the machine rather than on the
 * command line: whether the host resolves, whether the data path can be a directory, and why a port
 * could not be bound. Each failure is a {@link ConvergeException} with a one-line message.
 */
final class ServeChecks {
  private ServeChecks() {}

  /** Resolves {@code host} now, so that a typo fails before the store is opened. */
  static void requireResolvable(String host) {
    try {
      var unused = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "--host " + CliText.quote(host) + " does not resolve to an address",
          e);
    }
  }

  /** Creates {@code data} if it is missing; fails if it is a file or cannot be created. */
  static void requireDirectory(Path data) {
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "--data " + CliText.quote(data.toString()) + " is a file, expected a directory");
    }
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "cannot create --data directory "
              + CliText.quote(data.toString())
              + ": "
              + CliText.reason(e),
          e);
    }
  }

  /** The {@link BindException} somewhere in the causes of {@code failure}, if any. */
  static Optional<BindException> bindFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException bind) {
        return Optional.of(bind);
      }
    }
    return Optional.empty();
  }

  static String reason(BindException bind) {
    String message = bind.getMessage();
    return message == null ? "the address cannot be bound" : lowerFirst(message);
  }

  private static String lowerFirst(String text) {
    return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
