package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector on {@code converge serve}: open without a token file; with one, only to an {@code
 * admin} token (Basic or Bearer), 401 with a Basic challenge without a valid token and 403 with a
 * token that is no administrator's; {@code /health} and {@code /metrics} stay open. {@code
 * /api/server} lists peers and the sampled metrics.
 *
 * <p>How: a {@link ConvergeServer} on 127.0.0.1, the JDK's HTTP client.
 */
class ServeInspectorAccessTest {
  private static final String ADMIN = "admin-secret-0123456789";
  private static final String USER = "user-secret-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(ConvergeServer server, String path, Optional<String> auth)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    auth.ifPresent(value -> request.header("Authorization", value));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<String> basic(String secret) {
    return Optional.of(
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("anyone:" + secret).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void tokenFile_onlyAdminsOpenTheInspector_healthStaysOpen() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "token root " + ADMIN + "\ntoken app " + USER + "\nadmin root\n");
    try (ConvergeServer server =
        ConvergeServer.start(
            ServerOptions.defaults(dir.resolve("data"), 0).withTokenFile(tokens))) {
      HttpResponse<String> none = get(server, "/", Optional.empty());
      assertEquals(401, none.statusCode());
      assertTrue(
          none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "),
          none.headers().toString());
      assertEquals(401, get(server, "/api/documents", basic("wrong-secret-0123456")).statusCode());
      assertEquals(403, get(server, "/doc/x", basic(USER)).statusCode());
      assertEquals(403, get(server, "/api/server", Optional.of("Bearer " + USER)).statusCode());

      HttpResponse<String> page = get(server, "/", basic(ADMIN));
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("Converge inspector"), page.body());
      assertEquals(200, get(server, "/api/documents", Optional.of("Bearer " + ADMIN)).statusCode());

      assertEquals(200, get(server, "/health", Optional.empty()).statusCode());
      assertEquals(200, get(server, "/metrics", Optional.empty()).statusCode());
    }
  }

  @Test
  void noTokenFile_inspectorOpen_serverApiHasPeersAndMetrics() throws Exception {
    try (ConvergeServer server = ConvergeServer.start(ServerOptions.defaults(dir, 0))) {
      assertEquals(200, get(server, "/", Optional.empty()).statusCode());
      HttpResponse<String> api = get(server, "/api/server", Optional.empty());
      assertEquals(200, api.statusCode(), api.body());
      JsonNode body = JSON.readTree(api.body());
      assertTrue(body.path("peers").isArray(), api.body());
      JsonNode metrics = body.path("metrics");
      assertEquals(5_000, metrics.path("intervalMillis").asLong());
      assertTrue(metrics.path("times").size() >= 1, "sampled at start: " + api.body());
      assertEquals(metrics.path("times").size(), metrics.path("series").path("connections").size());
    }
  }
}
