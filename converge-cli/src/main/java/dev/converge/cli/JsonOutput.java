package dev.converge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of the commands whose output a script parses: with it a command prints
 * one JSON value on one line (an object or an array) instead of its text for people, which stays as
 * it was without the option. Mixed into a command with {@code @Mixin}.
 */
final class JsonOutput {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--json", description = "Print the result as one line of JSON, for scripts.")
  boolean requested;

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }

  /** Prints {@code value} compactly on one line and flushes. */
  static void print(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    out.flush();
  }
}
