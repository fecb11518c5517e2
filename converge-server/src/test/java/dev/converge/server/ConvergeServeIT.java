package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.core.ChangeHash;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
