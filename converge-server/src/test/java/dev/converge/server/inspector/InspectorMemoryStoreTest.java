package dev.converge.server.inspector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.converge.repo.Repo;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The documents list over a store without SQL ({@link Repo#inMemory}): every document in ID order
 * with counts and sizes read from the loaded documents, and a search refused with 400.
 */
class InspectorMemoryStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void documents_inMemoryStore_listedInIdOrderWithoutSearch() throws Exception {
    try (Repo repo = Repo.inMemory();
        InspectorServer server = InspectorServer.start(repo, "127.0.0.1", 0)) {
      InspectorSample sample = new InspectorSample(repo);
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(server.url().resolve("/api/documents")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, list.statusCode(), list.body());
      JsonNode page = JSON.readTree(list.body());
      assertEquals(2, page.get("total").asInt());
      String first = page.get("documents").get(0).get("id").asText();
      String second = page.get("documents").get(1).get("id").asText();
      assertEquals(repo.list().get(0).toString(), first);
      assertEquals(repo.list().get(1).toString(), second);
      JsonNode sampled =
          first.equals(sample.handle.id().toString())
              ? page.get("documents").get(0)
              : page.get("documents").get(1);
      assertEquals(sample.hashes.size(), sampled.get("changes").asInt());
      long bytes = sample.handle.changes().stream().mapToLong(c -> c.byteLength()).sum();
      assertEquals(bytes, sampled.get("bytes").asLong());
      HttpResponse<String> search =
          http.send(
              HttpRequest.newBuilder(server.url().resolve("/api/documents?q=oat")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, search.statusCode(), search.body());
    }
  }
}
