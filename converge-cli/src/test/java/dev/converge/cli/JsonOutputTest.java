package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --json} on the commands a script parses (heads, views list, import, sim, sync, members):
 * one JSON value per line with the same facts as the text for people, which is unchanged without
 * the option.
 *
 * <p>How: each command runs in process with stdout and stderr captured; {@code sync} against a
 * {@link ConvergeServer} on 127.0.0.1 in this JVM.
 */
class JsonOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private String ok(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    CommandLine commandLine = ConvergeCommand.newCommandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertEquals(0, commandLine.execute(args), () -> String.join(" ", args) + ": " + err);
    return out.toString().strip();
  }

  private static JsonNode parse(String line) throws Exception {
    assertEquals(1, line.lines().count(), line);
    return JSON.readTree(line);
  }

  @Test
  void headsAndImport_json_arrayOfHeadsAndFileUrlLines() throws Exception {
    String repo = dir.resolve("repo").toString();
    ok("init", repo);
    String url = ok("new", repo, "{\"title\":\"milk\"}");
    Path file = dir.resolve("doc.automerge");
    ok("export", repo, url, file.toString());

    List<String> heads = ok("heads", file.toString()).lines().toList();
    JsonNode array = parse(ok("heads", file.toString(), "--json"));
    assertEquals(heads.size(), array.size());
    assertEquals(heads.get(0), array.get(0).asText());

    List<String> lines =
        ok("import", repo, file.toString(), file.toString(), "--json").lines().toList();
    assertEquals(2, lines.size(), lines.toString());
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals(file.toString(), first.path("file").asText());
    assertTrue(first.path("url").asText().startsWith("automerge:"), first.toString());
    assertEquals("{\"title\":\"milk\"}", ok("get", repo, first.path("url").asText()));
  }

  @Test
  void viewsList_json_nameTableSelectorColumns() throws Exception {
    String repo = dir.resolve("repo").toString();
    ok("init", repo);
    ok("views", repo, "define", "todos", "--where", "$.type=\"todo\"", "--column", "t=$.title");
    ok("views", repo, "define", "all", "--where", "$.title", "--column", "t=$.title");
    JsonNode views = parse(ok("views", repo, "list", "--json"));
    assertEquals(2, views.size(), views.toString());
    int todosAt = views.get(0).path("name").asText().equals("todos") ? 0 : 1;
    JsonNode todos = views.get(todosAt);
    JsonNode all = views.get(1 - todosAt);
    assertEquals("view_todos", todos.path("table").asText());
    assertEquals("$.type", todos.path("selector").asText());
    assertEquals("\"todo\"", todos.path("equals").asText());
    assertEquals("{\"t\":\"$.title\"}", todos.path("columns").toString());
    assertTrue(all.path("equals").isNull(), all.toString());
    assertEquals(2, ok("views", repo, "list").lines().count(), "the text form stays");
  }

  @Test
  void sim_json_oneSeedAndRange() throws Exception {
    JsonNode one = parse(ok("sim", "--seed", "3", "--steps", "30", "--json"));
    assertEquals(3, one.path("seed").asLong());
    assertTrue(one.path("passed").asBoolean(), one.toString());
    assertTrue(one.path("failure").isNull(), one.toString());

    JsonNode range = parse(ok("sim", "--seeds", "1..5", "--steps", "30", "--json"));
    assertEquals(5, range.path("passed").asLong());
    assertEquals(0, range.path("failed").asLong());
    assertEquals(5, range.path("seeds").asLong());
    assertEquals(0, range.path("failures").size());
    assertEquals("", err.toString(), "no progress bar without a terminal");
  }

  @Test
  void syncAndMembers_json_countsAndMemberList() throws Exception {
    String repo = dir.resolve("repo").toString();
    ok("init", repo);
    ok("new", repo, "{\"title\":\"plain\"}");
    String link = ok("new", repo, "--sealed", "{\"title\":\"sealed\"}");
    try (ConvergeServer server =
        ConvergeServer.start(ServerOptions.defaults(dir.resolve("server"), 0))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      JsonNode synced = parse(ok("sync", repo, ws, "--json"));
      assertEquals(ws, synced.path("server").asText());
      assertEquals(2, synced.path("documents").asInt());
      assertEquals(1, synced.path("sealed").asInt());
    }
    JsonNode members = parse(ok("members", repo, link, "--json"));
    String deviceKey = ok("whoami", repo);
    boolean found = false;
    for (JsonNode member : members) {
      if (member.path("key").asText().equals(deviceKey)) {
        found = true;
        assertEquals("device", member.path("kind").asText());
        assertTrue(member.path("thisDevice").asBoolean(), member.toString());
        assertEquals("member", member.path("status").asText());
      }
    }
    assertTrue(found, members.toString());
    assertEquals(members.size(), ok("members", repo, link).lines().count());
  }
}
