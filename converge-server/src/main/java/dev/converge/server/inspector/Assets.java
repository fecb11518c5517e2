package dev.converge.server.inspector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The inspector's pages, scripts and style, shipped in the jar beside this class and read once:
 * nothing is fetched from the network at run time. Only the files named here are served.
 */
final class Assets {
  private static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "doc.html", "text/html; charset=utf-8",
          "inspector.css", "text/css; charset=utf-8",
          "common.js", "text/javascript; charset=utf-8",
          "list.js", "text/javascript; charset=utf-8",
          "doc.js", "text/javascript; charset=utf-8",
          "graph.js", "text/javascript; charset=utf-8",
          "tree.js", "text/javascript; charset=utf-8",
          "server.js", "text/javascript; charset=utf-8");

  private final Map<String, byte[]> contents;

  Assets() {
    Map<String, byte[]> loaded = new java.util.HashMap<>();
    for (String name : TYPES.keySet()) {
      try (InputStream in = Assets.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("inspector asset " + name + " is missing from the jar");
        }
        loaded.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read inspector asset " + name, e);
      }
    }
    this.contents = Map.copyOf(loaded);
  }

  /** Writes the asset {@code name}; returns false, writing nothing, if there is none. */
  boolean serve(String name, Response response, Callback callback) {
    byte[] content = contents.get(name);
    if (content == null) {
      return false;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(name));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.write(true, ByteBuffer.wrap(content), callback);
    return true;
  }
}
