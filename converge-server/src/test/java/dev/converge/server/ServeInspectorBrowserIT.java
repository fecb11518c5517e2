package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector of {@code converge serve} in a real browser, while JavaScript automerge-repo
 * clients edit a document through the server: {@code interop/serve-inspector-browser.mjs} runs the
 * clients and drives Debian's headless Chromium through playwright-core. A token file names an
 * administrator and a user: a browser without a token and one with the user's are refused; the
 * administrator's sees the clients as peers, the metrics as charts, the document's value with each
 * client's heads (in sync), and a client's edit without a reload. Screenshots go to {@code
 * target/inspector-screenshots/serve-*}.
 */
class ServeInspectorBrowserIT {
  private static final String ADMIN_SECRET = "admin-secret-0123456789";
  private static final String USER_SECRET = "user-secret-0123456789";

  @TempDir Path dir;

  @Test
  void serveInspector_inChromium_peersChartsLiveEditAndRefusals() throws Exception {
    Path shots = Path.of("target", "inspector-screenshots", "serve").toAbsolutePath();
    Files.createDirectories(shots);
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        "token root "
            + ADMIN_SECRET
            + "\ntoken clients "
            + USER_SECRET
            + "\nadmin root   # only root may open the inspector\n");
    try (ConvergeServer server =
        ConvergeServer.start(
            ServerOptions.defaults(dir.resolve("data"), 0).withTokenFile(tokens))) {
      NodeClient browser =
          NodeClient.startScript(
              "serve-inspector-browser.mjs",
              false,
              "http://127.0.0.1:" + server.port() + "/",
              ADMIN_SECRET,
              USER_SECRET,
              shots.toString());
      assertEquals("refused", browser.readLine().path("step").asText());
      assertEquals("server", browser.readLine().path("step").asText());
      assertEquals("document", browser.readLine().path("step").asText());
      JsonNode result = browser.result();
      assertTrue(result.path("ok").asBoolean(), result.toString());
    }
    for (String name :
        new String[] {
          "01-refused.png", "02-server.png", "03-document-peers.png", "04-live-edit.png"
        }) {
      assertTrue(Files.size(shots.resolve(name)) > 2_000, name + " is missing or empty");
    }
  }
}
