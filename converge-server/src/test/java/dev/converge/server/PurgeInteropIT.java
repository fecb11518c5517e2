package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.core.ObjId;
import dev.converge.net.client.RepoPeer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purge through a real {@link ConvergeServer} on a SQLite data directory, over WebSocket: a Java
 * client writes a canary, a real automerge-repo 2.5.6 client in Node reads it through the server
 * (so the server holds it, and a byte scan of its data directory finds it), the Java client purges
 * the document, and then the data directory and the client's directory hold the canary in no file,
 * and the Node client asking for the document gets automerge-repo's {@code doc-unavailable} answer,
 * as for any document the server lacks.
 */
class PurgeInteropIT {
  private static final String CANARY = "zqinteropcanary8086";

  @TempDir Path root;

  @Test
  void throughConvergeServe_javaPurges_serverWipedAndJsClientGetsUnavailable() throws Exception {
    Path data = root.resolve("server");
    Path client = root.resolve("client");
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0));
        Repo repo = Repo.open(client)) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      try (RepoPeer peer = JavaClientIT.javaClient(repo, ws)) {
        DocHandle doc = peer.create();
        doc.change(tx -> tx.put(ObjId.ROOT, "secret", CANARY));
        String url = doc.url().toString();
        JsonNode opened =
            NodeClient.run("open", ws, url, String.join(",", JavaClientIT.hexHeads(doc)));
        assertEquals(CANARY, opened.get("value").get("secret").asText());
        assertFalse(filesHolding(data).isEmpty(), "the server's files hold the canary before");

        assertTrue(peer.purge(doc.id()).get(30, TimeUnit.SECONDS));

        repo.flush();
        assertEquals(List.of(), filesHolding(data));
        assertEquals(List.of(), filesHolding(client));
        JsonNode refused = NodeClient.run("unavailable", ws, url);
        assertTrue(refused.get("unavailable").asBoolean(), refused.toString());
      }
    }
    assertEquals(List.of(), filesHolding(data));
  }

  private static List<String> filesHolding(Path dir) throws IOException {
    String needle =
        new String(CANARY.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(needle)) {
          holding.add(dir.relativize(file).toString());
        }
      }
    }
    return holding;
  }
}
