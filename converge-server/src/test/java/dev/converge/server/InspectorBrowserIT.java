package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.repo.Repo;
import dev.converge.server.inspector.InspectorSample;
import dev.converge.server.inspector.InspectorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inspector in a real browser: headless Chromium from Debian's package ({@code
 * /usr/bin/chromium}, or {@code $CHROMIUM}), driven by {@code interop/inspector-browser.mjs}
 * through playwright-core. The script checks what a person sees (the value, every change, a graph
 * node per change, time travel, a diff); then this test edits the document and the script waits for
 * the edit to appear without a reload. Screenshots of each view go to {@code
 * target/inspector-screenshots/}.
 */
class InspectorBrowserIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void inspector_inChromium_showsValueHistoryTimeTravelDiffAndLiveEdits() throws Exception {
    Path shots = Path.of("target", "inspector-screenshots").toAbsolutePath();
    Files.createDirectories(shots);
    try (Repo repo = Repo.open(dir.resolve("repo"))) {
      InspectorSample sample = new InspectorSample(repo);
      ObjectNode expected = JSON.createObjectNode();
      expected.put("doc", sample.handle.id().toString());
      sample.hashes.stream().map(ChangeHash::toHex).forEach(expected.putArray("hashes")::add);
      expected.put("title", sample.title);
      expected.put("oldTitle", InspectorSample.OLD_TITLE);
      expected.put("searchWord", InspectorSample.SEARCH_WORD);
      expected.putArray("actors").add(sample.actor.toHex()).add(InspectorSample.OTHER.toHex());
      expected.put("liveText", "edited live");
      Path expectedFile = dir.resolve("expected.json");
      JSON.writeValue(expectedFile.toFile(), expected);

      try (InspectorServer server = InspectorServer.start(repo, "127.0.0.1", 0)) {
        NodeClient browser =
            NodeClient.startScript(
                "inspector-browser.mjs",
                true,
                server.url().toString(),
                expectedFile.toString(),
                shots.toString());
        for (String step : new String[] {"documents", "document", "time-travel-click"}) {
          assertEquals(step, browser.readLine().get("step").asText());
        }
        assertEquals("time-travel-slider", browser.readLine().get("step").asText());
        assertEquals("diff", browser.readLine().get("step").asText());
        assertEquals("waiting-for-edit", browser.readLine().get("step").asText());
        sample.handle.change(tx -> tx.put(ObjId.ROOT, "status", "edited live"));
        sample.handle.whenDurable().join();
        browser.writeLine("edited");
        JsonNode result = browser.result();
        assertTrue(result.path("ok").asBoolean(), result.toString());
      }
    }
    for (String name :
        new String[] {
          "01-documents.png",
          "02-search.png",
          "03-document.png",
          "04-time-travel-click.png",
          "05-diff.png",
          "06-live-edit.png"
        }) {
      assertTrue(Files.size(shots.resolve(name)) > 10_000, name + " is missing or empty");
    }
  }
}
