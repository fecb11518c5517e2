package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.net.client.ReconnectBackoff;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real automerge-repo 2.5.6 clients (Node, {@code interop/repo/client.mjs}, WebSocket client
 * adapter) sync through {@code converge serve} started in-process on 127.0.0.1.
 */
class ConvergeServeIT {
  @TempDir Path data;
  private ConvergeServer server;

  @BeforeEach
  void start() {
    server = ConvergeServer.start(ServerOptions.defaults(data, 0));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String ws() {
    return "ws://127.0.0.1:" + server.port() + "/";
  }

  private static String heads(JsonNode report) {
    List<String> heads = new ArrayList<>();
    report.get("heads").forEach(head -> heads.add(head.asText()));
    return String.join(",", heads);
  }

  private List<String> serverHeads(String url) {
    DocHandle handle = server.repo().find(AutomergeUrl.parse(url)).orElseThrow();
    List<String> heads = new ArrayList<>();
    for (ChangeHash hash : handle.heads()) {
      heads.add(hash.toString());
    }
    return heads;
  }

  @Test
  void jsClientCreates_secondJsClientOpensByUrl_sameHeadsAndContent() throws Exception {
    JsonNode created = NodeClient.run("create", ws());
    String url = created.get("url").asText();
    JsonNode opened = NodeClient.run("open", ws(), url, heads(created));
    assertEquals(created.get("heads"), opened.get("heads"));
    assertEquals(created.get("value"), opened.get("value"));
    assertEquals(List.of(heads(created).split(",")), serverHeads(url));
  }

  @Test
  void concurrentEditsFromTwoJsClients_converge() throws Exception {
    JsonNode created = NodeClient.run("create", ws());
    String url = created.get("url").asText();
    NodeClient alice = NodeClient.start("concurrent", ws(), url, "alice", "20", "bob");
    NodeClient bob = NodeClient.start("concurrent", ws(), url, "bob", "20", "alice");
    JsonNode a = alice.result();
    JsonNode b = bob.result();
    assertEquals(a.get("heads"), b.get("heads"));
    assertEquals(a.get("value"), b.get("value"));
    assertEquals(3 + 40, a.get("value").get("items").size(), "20 entries from each, in one list");
    for (int i = 0; i < 20; i++) {
      assertEquals(i, a.get("value").get("alice" + i).asInt());
      assertEquals(i, a.get("value").get("bob" + i).asInt());
    }
    JsonNode third = NodeClient.run("open", ws(), url, heads(a));
    assertEquals(a.get("value"), third.get("value"));
  }

  @Test
  void serverRestartedInBetween_losesNothing() throws Exception {
    JsonNode created = NodeClient.run("create", ws());
    String url = created.get("url").asText();
    server.close();
    server = ConvergeServer.start(ServerOptions.defaults(data, 0));
    assertTrue(server.repo().list().size() == 1);
    JsonNode opened = NodeClient.run("open", ws(), url, heads(created));
    assertEquals(created.get("value"), opened.get("value"));
    assertEquals(created.get("heads"), opened.get("heads"));
  }

  /**
   * A JavaScript client and a Java client are both offline while the server is down; each edits;
   * the server comes back on the same port from the same data directory; both reconnect by
   * themselves and catch up, and a fresh client sees everything: the restart lost nothing.
   */
  @Test
  void clientsEditOffline_serverRestartedInBetween_bothCatchUp_nothingLost() throws Exception {
    JsonNode created = NodeClient.run("create", ws());
    String url = created.get("url").asText();
    NodeClient js =
        NodeClient.startScript(
            "repo/offline-client.mjs", true, ws(), url, "js-offline", "3", "java-offline");
    assertEquals("open", js.readLine().get("phase").asText());
    try (Repo javaRepo = Repo.inMemory();
        RepoPeer java =
            new RepoPeer(
                javaRepo,
                RepoPeerOptions.of("java-offline-client", new SplittableRandom(6))
                    .withBackoff(
                        new ReconnectBackoff(
                            Duration.ofMillis(50), Duration.ofMillis(500), 2.0)))) {
      java.connect(new WebSocketDialer(URI.create(ws()), WebSocketDialerOptions.DEFAULT));
      DocHandle doc = java.find(AutomergeUrl.parse(url).documentId()).get(30, TimeUnit.SECONDS);
      JavaClientIT.await(
          () -> doc.toJson().contains("hello from js"), "the Java client has the document");

      int port = server.port();
      server.close();
      JavaClientIT.await(() -> java.connectedPeers().isEmpty(), "the Java client is offline");
      js.writeLine("edit");
      assertEquals("edited", js.readLine().get("phase").asText());
      doc.change(tx -> tx.put(ObjId.ROOT, "java-offline", "edited while the server was down"));

      server = ConvergeServer.start(ServerOptions.defaults(data, port));
      JsonNode done = js.result();
      assertEquals("done", done.get("phase").asText());
      for (int i = 0; i < 3; i++) {
        assertEquals(i, done.get("value").get("js-offline" + i).asInt());
      }
      JavaClientIT.await(
          () -> JavaClientIT.hexHeads(doc).equals(JavaClientIT.texts(done.get("heads"))),
          "the Java client reaches the JS client's heads " + done.get("heads"));
      assertEquals(done.get("value"), new ObjectMapper().readTree(doc.toJson()));

      JsonNode fresh = NodeClient.run("open", ws(), url, heads(done));
      assertEquals(done.get("value"), fresh.get("value"));
    }
  }
}
