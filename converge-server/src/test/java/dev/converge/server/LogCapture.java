package dev.converge.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The server's log lines while it is open: slf4j-simple writes to whatever {@code System.err} is
 * when a line is logged, so this puts a tee in its place (the lines still reach the console) and
 * restores it on close. Tests in one JVM run one at a time (surefire's default), so only the server
 * under test logs meanwhile.
 */
final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  LogCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            synchronized (captured) {
              captured.write(bytes, offset, length);
            }
            original.write(bytes, offset, length);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  List<String> lines() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  /** The first line matching {@code test}, waiting up to 30 s for it. */
  String await(String what, Predicate<String> test) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      for (String line : lines()) {
        if (test.test(line)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log line " + what + " within 30 s in:\n" + lines());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
