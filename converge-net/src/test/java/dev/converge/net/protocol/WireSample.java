package dev.converge.net.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Frames captured between JavaScript automerge-repo peers (automerge-repo-wire-sample.md). */
final class WireSample {
  private WireSample() {}

  /** The frame {@code name}, e.g. {@code capture1-01-join}. */
  static byte[] frame(String name) {
    try (InputStream in = WireSample.class.getResourceAsStream("/wire-sample/" + name + ".hex")) {
      if (in == null) {
        throw new IllegalArgumentException("no captured frame " + name);
      }
      return Bytes.fromHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final String[] ALL = {
    "capture1-01-join",
    "capture1-02-peer",
    "capture1-03-sync",
    "capture1-04-sync",
    "capture1-05-sync",
    "capture1-06-sync",
    "capture1-07-join",
    "capture1-08-peer",
    "capture1-09-request",
    "capture1-10-sync",
    "capture1-11-sync",
    "capture1-12-sync",
    "capture2-01-join",
    "capture2-02-peer",
    "capture2-03-request",
    "capture2-04-sync",
    "capture2-05-doc-unavailable",
  };
}
