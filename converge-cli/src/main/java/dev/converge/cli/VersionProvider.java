package dev.converge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Reads the version Maven wrote into {@code version.properties} and the commit it wrote into {@code
 * commit.txt} ({@code git describe}) when it built the jar: {@code converge VERSION (commit
 * COMMIT)}. A class path without {@code commit.txt} (a build outside Maven) shows "unknown".
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties is missing from the classpath");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.properties", e);
    }
    return new String[] {
      "converge " + properties.getProperty("version", "unknown") + " (commit " + commit() + ")"
    };
  }

  private static String commit() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("commit.txt")) {
      if (in == null) {
        return "unknown";
      }
      String commit = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return commit.isEmpty() ? "unknown" : commit;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read commit.txt", e);
    }
  }
}
