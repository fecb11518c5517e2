package dev.converge.broker;

import java.nio.file.Path;

/**
 * The command line of {@link BrokerMain}, checked.
 *
 * @param port the client port on 127.0.0.1, 1 to 65535
 * @param controllerPort the KRaft controller's port, or 0 to take a free one
 * @param dataDir where the broker keeps its configuration, log and data
 * @param exitOnStdinEof whether to exit when standard input closes
 */
record BrokerSettings(int port, int controllerPort, Path dataDir, boolean exitOnStdinEof) {
  BrokerSettings {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("--port must be 1 to 65535, got " + port);
    }
    if (controllerPort < 0 || controllerPort > 65_535 || controllerPort == port) {
      throw new IllegalArgumentException(
          "--controller-port must be 0 to 65535 and differ from --port, got " + controllerPort);
    }
  }

  static BrokerSettings parse(String[] args) {
    int port = 9092;
    int controllerPort = 0;
    Path dataDir = Path.of("kafka-data");
    boolean exitOnStdinEof = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
        case "--controller-port" -> controllerPort = Integer.parseInt(value(args, ++i, arg));
        case "--data" -> dataDir = Path.of(value(args, ++i, arg));
        case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return new BrokerSettings(port, controllerPort, dataDir, exitOnStdinEof);
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}
