package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.net.client.RepoPeer;
import dev.converge.net.client.RepoPeerOptions;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java client (a {@link RepoPeer} over the JDK WebSocket dialer) syncs with real automerge-repo
 * 2.5.6 clients in Node ({@code interop/repo/client.mjs}), through the JavaScript sync server
 * ({@code interop/repo/sync-server.mjs}) and through {@code converge serve}. Each way: Java creates
 * and JS opens by URL with the same heads and content, then both edit at once and converge; JS
 * creates and Java finds by URL. Waits are bounded polls; nothing is timed.
 */
class JavaClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  @Test
  void throughJsSyncServer_javaCreates_jsOpens_thenConcurrentEditsConverge() throws Exception {
    InteropServers.throughJsSyncServer(JavaClientIT::javaCreatesJsOpensBothEdit);
  }

  @Test
  void throughJsSyncServer_jsCreates_javaFindsByUrl() throws Exception {
    InteropServers.throughJsSyncServer(JavaClientIT::jsCreatesJavaFinds);
  }

  @Test
  void throughConvergeServe_javaCreates_jsOpens_thenConcurrentEditsConverge() throws Exception {
    InteropServers.throughConvergeServe(data, JavaClientIT::javaCreatesJsOpensBothEdit);
  }

  @Test
  void throughConvergeServe_jsCreates_javaFindsByUrl() throws Exception {
    InteropServers.throughConvergeServe(data, JavaClientIT::jsCreatesJavaFinds);
  }

  /** A {@link RepoPeer} over {@code repo} named {@code java-client}, connected to {@code ws}. */
  static RepoPeer javaClient(Repo repo, String ws) {
    RepoPeer peer = new RepoPeer(repo, RepoPeerOptions.of("java-client", new SplittableRandom(6)));
    peer.connect(new WebSocketDialer(URI.create(ws), WebSocketDialerOptions.DEFAULT));
    await(() -> peer.connectedPeers().size() == 1, "the Java client connects to " + ws);
    return peer;
  }

  private static void javaCreatesJsOpensBothEdit(String ws) throws Exception {
    try (Repo repo = Repo.inMemory();
        RepoPeer peer = javaClient(repo, ws)) {
      DocHandle doc = peer.create();
      doc.change(
          tx -> {
            tx.put(ObjId.ROOT, "title", "hello from java");
            ObjId items = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
            tx.insert(items, 0, new ScalarValue.Str("java-first"));
            tx.put(ObjId.ROOT, "count", 7);
          });
      String url = doc.url().toString();
      JsonNode opened = NodeClient.run("open", ws, url, String.join(",", hexHeads(doc)));
      assertEquals(hexHeads(doc), texts(opened.get("heads")));
      assertEquals(JSON.readTree(doc.toJson()), opened.get("value"));

      NodeClient js = NodeClient.start("concurrent", ws, url, "js", "5", "java");
      for (int i = 0; i < 5; i++) {
        int n = i;
        doc.change(tx -> tx.put(ObjId.ROOT, "java" + n, n));
      }
      JsonNode result = js.result();
      await(
          () -> hexHeads(doc).equals(texts(result.get("heads"))),
          "the Java client reaches the JS client's heads " + result.get("heads"));
      assertEquals(JSON.readTree(doc.toJson()), result.get("value"));
      for (int i = 0; i < 5; i++) {
        assertEquals(i, result.get("value").get("js" + i).asInt());
        assertEquals(i, result.get("value").get("java" + i).asInt());
      }
    }
  }

  private static void jsCreatesJavaFinds(String ws) throws Exception {
    JsonNode created = NodeClient.run("create", ws);
    try (Repo repo = Repo.inMemory();
        RepoPeer peer = javaClient(repo, ws)) {
      DocHandle doc =
          peer.find(AutomergeUrl.parse(created.get("url").asText()).documentId())
              .get(30, TimeUnit.SECONDS);
      await(
          () -> hexHeads(doc).equals(texts(created.get("heads"))),
          "the Java client reaches the JS heads " + created.get("heads"));
      assertEquals(created.get("value"), JSON.readTree(doc.toJson()));
    }
  }

  static List<String> hexHeads(DocHandle doc) {
    List<String> heads = new ArrayList<>();
    for (ChangeHash head : doc.heads()) {
      heads.add(head.toHex());
    }
    heads.sort(null);
    return heads;
  }

  static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    values.sort(null);
    return values;
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 30 s waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
