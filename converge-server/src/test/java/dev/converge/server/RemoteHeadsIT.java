package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote-heads gossip between real automerge-repo 2.5.6 clients ({@code
 * interop/repo/remote-heads.mjs}) through {@code converge serve}: a watcher that subscribes to a
 * writer's storage ID hears the writer's heads though the two never connect to each other, and
 * hears the server's own heads under the server's storage ID.
 */
class RemoteHeadsIT {
  @TempDir Path data;

  private static List<String> sorted(JsonNode heads) {
    List<String> list = new ArrayList<>();
    heads.forEach(head -> list.add(head.asText()));
    list.sort(null);
    return list;
  }

  @Test
  void jsWatcherSubscribedToJsWritersStorage_hearsItsHeadsThroughConvergeServe() throws Exception {
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(data, 0))) {
      String ws = "ws://127.0.0.1:" + server.port() + "/";
      JsonNode report = NodeClient.startScript("repo/remote-heads.mjs", false, ws).result();
      assertNotEquals(report.get("writerStorageId"), report.get("serverStorageId"));
      List<String> expected = sorted(report.get("expected"));
      assertEquals(expected, sorted(report.get("heardWriter")));
      assertEquals(expected, sorted(report.get("heardServer")));
      AutomergeUrl url = AutomergeUrl.parse(report.get("url").asText());
      DocHandle stored = server.repo().find(url).orElseThrow();
      String withHeads = new AutomergeUrl(url.documentId(), stored.heads()).toString();
      List<String> serverHeads =
          new ArrayList<>(
              Arrays.asList(withHeads.substring(withHeads.indexOf('#') + 1).split("\\|")));
      serverHeads.sort(null);
      assertEquals(expected, serverHeads, "the server holds the heads it announced");
    }
  }
}
