package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Writing one JSON reply with Jackson's streaming generator. */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /** What {@code body} writes, as one JSON document. */
  static String write(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      // A StringWriter does not fail: this is a bug in the body.
      throw new UncheckedIOException("cannot write JSON", e);
    }
    return out.toString();
  }

  /** Writes a JSON value. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator generator) throws IOException;
  }
}
