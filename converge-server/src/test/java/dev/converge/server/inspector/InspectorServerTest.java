package dev.converge.server.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.core.ScalarValue;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector's JSON over real HTTP, on a SQLite repository holding {@link InspectorSample}: each
 * reply is checked against the document read directly.
 */
class InspectorServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Repo repo;
  private InspectorSample sample;
  private InspectorServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    repo = Repo.open(dir);
    sample = new InspectorSample(repo);
    server = InspectorServer.start(repo, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    repo.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.url().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private String doc() {
    return sample.handle.id().toString();
  }

  @Test
  void documents_listNewestFirst_withCountsSizesAndTimes() throws Exception {
    JsonNode page = json("/api/documents");
    assertEquals(2, page.get("total").asInt());
    JsonNode first = page.get("documents").get(0);
    assertEquals(sample.unrelated.id().toString(), first.get("id").asText());
    JsonNode second = page.get("documents").get(1);
    assertEquals(doc(), second.get("id").asText());
    assertEquals(sample.hashes.size(), second.get("changes").asInt());
    long bytes = sample.handle.changes().stream().mapToLong(c -> c.byteLength()).sum();
    assertEquals(bytes, second.get("bytes").asLong());
    assertEquals(
        sample.handle.changes().get(sample.hashes.size() - 1).time(),
        second.get("lastTime").asLong());
  }

  @Test
  void documents_pages_coverEveryDocumentOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      DocHandle extra = repo.create();
      extra.change(tx -> tx.put(ObjId.ROOT, "n", 1));
      extra.whenDurable().join();
    }
    List<String> seen = new ArrayList<>();
    for (int offset = 0; offset < 7; offset += 3) {
      json("/api/documents?limit=3&offset=" + offset)
          .get("documents")
          .forEach(d -> seen.add(d.get("id").asText()));
    }
    assertEquals(7, seen.size());
    assertEquals(7, seen.stream().distinct().count());
  }

  @Test
  void documents_search_findsByWordAndTreatsSyntaxAsText() throws Exception {
    JsonNode found = json("/api/documents?q=" + InspectorSample.SEARCH_WORD);
    assertEquals(1, found.get("total").asInt());
    assertEquals(doc(), found.get("documents").get(0).get("id").asText());
    for (String hostile : new String[] {"%27%3B%20DROP%20TABLE%20docs%3B--", "NEAR(", "*", "%22"}) {
      assertEquals(0, json("/api/documents?q=" + hostile).get("total").asInt(), hostile);
    }
    // Punctuation is not a word: a quote next to one is ignored, as the FTS tokenizer does.
    assertEquals(1, json("/api/documents?q=%22oat").get("total").asInt());
    assertEquals(2, repo.list().size());
  }

  @Test
  void summaryAndHistory_giveEveryChangeWithLanesAndDeps() throws Exception {
    JsonNode summary = json("/api/doc/" + doc());
    assertEquals(sample.hashes.size(), summary.get("changeCount").asInt());
    assertEquals(2, summary.get("laneCount").asInt());
    JsonNode history = json("/api/doc/" + doc() + "/history?from=0&limit=100");
    JsonNode changes = history.get("changes");
    assertEquals(sample.hashes.size(), changes.size());
    for (int i = 0; i < changes.size(); i++) {
      assertEquals(sample.hashes.get(i).toHex(), changes.get(i).get("hash").asText());
    }
    // 1 and 2 are concurrent: side by side; 3 merges them.
    assertEquals(0, changes.get(1).get("lane").asInt());
    assertEquals(1, changes.get(2).get("lane").asInt());
    assertEquals(2, changes.get(3).get("deps").size());
    assertEquals("merge", changes.get(3).get("message").asText());
    assertEquals(1, json("/api/doc/" + doc() + "/history?from=3&limit=5").get("changes").size());
  }

  @Test
  void value_now_showsConflictCounterAndMarks() throws Exception {
    JsonNode root = json("/api/doc/" + doc() + "/value").get("object");
    JsonNode title = entry(root, "title");
    assertEquals(sample.title, title.get("value").get("value").asText());
    JsonNode conflicts = title.get("conflicts");
    assertEquals(2, conflicts.size());
    List<String> actors = new ArrayList<>();
    conflicts.forEach(c -> actors.add(c.get("actor").asText()));
    assertTrue(actors.contains(InspectorSample.OTHER.toHex()));
    assertTrue(actors.contains(sample.actor.toHex()));
    assertEquals(1, conflicts.findValues("winner").stream().filter(JsonNode::asBoolean).count());
    assertEquals("counter", entry(root, "visits").get("value").get("type").asText());
    assertEquals("4", entry(root, "visits").get("value").get("value").asText());
    String notes = entry(root, "notes").get("value").get("id").asText();
    JsonNode text = json("/api/doc/" + doc() + "/value?obj=" + notes).get("object");
    assertEquals("buy oat milk today", text.get("text").asText());
    JsonNode mark = text.get("marks").get(0);
    assertEquals("bold", mark.get("name").asText());
    assertEquals(4, mark.get("start").asInt());
    assertEquals(7, mark.get("end").asInt());
  }

  @Test
  void value_atFirstChangeOrCount_isTheOldValue() throws Exception {
    String first = sample.hashes.get(0).toHex();
    for (String version : new String[] {"at=" + first, "at_count=1"}) {
      JsonNode value = json("/api/doc/" + doc() + "/value?" + version);
      assertEquals(first, value.get("heads").get(0).asText());
      JsonNode title = entry(value.get("object"), "title");
      assertEquals(InspectorSample.OLD_TITLE, title.get("value").get("value").asText());
      assertFalse(title.has("conflicts"));
    }
    JsonNode empty = json("/api/doc/" + doc() + "/value?at=").get("object");
    assertEquals(0, empty.get("length").asInt());
  }

  @Test
  void value_longList_comesInPages() throws Exception {
    DocHandle list = repo.create();
    list.change(
        tx -> {
          ObjId items = tx.putObject(ObjId.ROOT, "items", dev.converge.core.ObjType.LIST);
          for (int i = 0; i < 450; i++) {
            tx.insert(items, i, ScalarValue.str("item " + i));
          }
        });
    ObjId items = list.read(d -> d.objectAt(ObjId.ROOT, "items").orElseThrow());
    String base = "/api/doc/" + list.id() + "/value?obj=" + items;
    JsonNode first = json(base).get("object");
    assertEquals(450, first.get("length").asInt());
    assertEquals(ValueJson.ENTRIES_PER_PAGE, first.get("entries").size());
    JsonNode last = json(base + "&from=400").get("object");
    assertEquals(50, last.get("entries").size());
    assertEquals("item 449", last.get("entries").get(49).get("value").get("value").asText());
  }

  @Test
  void diff_betweenFirstAndLast_matchesTheDocumentsDiff() throws Exception {
    ChangeHash first = sample.hashes.get(0);
    List<ChangeHash> heads = sample.handle.heads();
    JsonNode diff =
        json(
            "/api/doc/"
                + doc()
                + "/diff?before="
                + first.toHex()
                + "&after_count="
                + sample.hashes.size());
    int expected = sample.handle.readHistory(history -> history.diff(List.of(first), heads)).size();
    assertEquals(expected, diff.get("patches").size());
    assertEquals("put", diff.get("patches").get(0).get("action").asText());
  }

  @Test
  void badRequests_areAnsweredWithOneLineAndChangeNothing() throws Exception {
    byte[] before = sample.handle.save();
    assertEquals(400, get("/api/doc/" + doc() + "/value?at=zz").statusCode());
    assertEquals(400, get("/api/doc/" + doc() + "/value?at=" + "0".repeat(64)).statusCode());
    assertEquals(400, get("/api/doc/" + doc() + "/value?obj=99@aa").statusCode());
    assertEquals(400, get("/api/doc/" + doc() + "/history?from=-1").statusCode());
    assertEquals(400, get("/api/doc/" + doc() + "/value?at=x&at_count=1").statusCode());
    assertEquals(400, get("/api/doc/not-an-id").statusCode());
    assertEquals(404, get("/api/doc/2gPEzaT71LC5eGyYVyxKYCRaJd16").statusCode());
    String message =
        JSON.readTree(get("/api/doc/" + doc() + "/value?at=zz").body()).get("error").asText();
    assertEquals(
        "at: expected change hashes of 64 hex digits, comma-separated, found 'zz'", message);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(server.url().resolve("/api/documents"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals(404, get("/nothing").statusCode());
    assertTrue(java.util.Arrays.equals(before, sample.handle.save()));
  }

  @Test
  void hostHeader_otherThanLoopback_isRefused() throws Exception {
    // java.net.http will not send a Host header of our choosing: speak HTTP/1.1 by hand.
    // A blank Host is refused by Jetty itself (400).
    assertTrue(rawGet("").startsWith("HTTP/1.1 400"));
    for (String host : new String[] {"evil.example:80", "127.0.0.1.evil.example", "0.0.0.0"}) {
      String response = rawGet(host);
      assertTrue(response.startsWith("HTTP/1.1 403"), host + ": " + response);
    }
    for (String host : new String[] {"localhost:1", "127.0.0.1", "[::1]:8080", "LOCALHOST"}) {
      String response = rawGet(host);
      assertTrue(response.startsWith("HTTP/1.1 200"), host + ": " + response);
    }
    assertEquals("[::1]", LoopbackHostCheck.hostName("[::1]:3031"));
  }

  private String rawGet(String host) throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
      String request =
          "GET /api/documents HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void pages_areServedFromTheJar() throws Exception {
    HttpResponse<String> index = get("/");
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("/assets/list.js"));
    assertEquals(200, get("/doc/" + doc()).statusCode());
    assertEquals(404, get("/doc/2gPEzaT71LC5eGyYVyxKYCRaJd16").statusCode());
    assertEquals(200, get("/assets/doc.js").statusCode());
    assertEquals(404, get("/assets/../InspectorServer.class").statusCode());
  }

  @Test
  @Timeout(60) // a guard against a hang, not a timing assertion
  void events_tellOfAChangeAsItIsCommitted() throws Exception {
    HttpResponse<InputStream> stream =
        http.send(
            HttpRequest.newBuilder(server.url().resolve("/api/events")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      while (!": open".equals(lines.readLine())) {
        // The stream's first event is the open comment; then the edit cannot be missed.
      }
      sample.handle.change(tx -> tx.put(ObjId.ROOT, "live", ScalarValue.TRUE));
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.startsWith("data: "));
      JsonNode event = JSON.readTree(line.substring("data: ".length()));
      assertEquals(doc(), event.get("doc").asText());
    }
  }

  private static JsonNode entry(JsonNode object, String key) {
    for (JsonNode entry : object.get("entries")) {
      if (entry.get("key").asText().equals(key)) {
        return entry;
      }
    }
    throw new AssertionError("no key " + key + " in " + object);
  }
}
