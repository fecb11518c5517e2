package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric names in the README's "Metrics" section are those {@code /metrics} serves, no more and
 * no fewer (issue 15 found {@code converge_bytes_received_bytes_total} where the README said {@code
 * converge_bytes_received_total}). Names follow Prometheus' conventions: the unit before {@code
 * _total}, once. The README is read from the repository root, beside this module.
 */
class MetricsReadmeTest {
  private static final Pattern NAME = Pattern.compile("`((?:converge|jvm)_[a-z_{},]+)`");
  private static final Pattern FAMILY = Pattern.compile("^# TYPE ((?:converge|jvm)_[a-z_]+) .*");

  @TempDir Path data;

  @Test
  void readmeMetricNames_areExactlyTheServedFamilies() throws Exception {
    Set<String> documented = documented(Path.of("..", "README.md"));
    Set<String> served = new TreeSet<>();
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0))) {
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : body.lines().toList()) {
        Matcher family = FAMILY.matcher(line);
        if (family.matches()) {
          served.add(family.group(1));
        }
      }
    }
    assertTrue(served.contains("converge_received_bytes_total"), served.toString());
    for (String name : served) {
      assertTrue(!name.contains("bytes_bytes"), name);
    }
    assertEquals(served, documented);
  }

  /** Names in backquotes in the Metrics section, {@code {a,b}} expanded. */
  private static Set<String> documented(Path readme) throws Exception {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    StringBuilder section = new StringBuilder();
    boolean inside = false;
    for (String line : lines) {
      if (line.startsWith("#")) {
        inside = line.equals("### Metrics");
        continue;
      }
      if (inside) {
        section.append(line).append('\n');
      }
    }
    Set<String> names = new TreeSet<>();
    Matcher matcher = NAME.matcher(section);
    while (matcher.find()) {
      for (String name : expand(matcher.group(1))) {
        names.add(name);
      }
    }
    return names;
  }

  private static List<String> expand(String name) {
    int open = name.indexOf('{');
    if (open < 0) {
      return List.of(name);
    }
    int close = name.indexOf('}', open);
    List<String> out = new ArrayList<>();
    for (String part :
        Pattern.compile(",").splitAsStream(name.substring(open + 1, close)).toList()) {
      out.addAll(expand(name.substring(0, open) + part + name.substring(close + 1)));
    }
    return out;
  }
}
