package dev.converge.cluster;

import static dev.converge.cluster.ClusterFixture.await;
import static dev.converge.cluster.ClusterFixture.client;
import static dev.converge.cluster.ClusterFixture.hashes;
import static dev.converge.cluster.ClusterFixture.ws;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.converge.core.ChangeHash;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.Value;
import dev.converge.net.client.RepoPeer;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.server.ConvergeServer;
import dev.converge.server.ServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JavaScript automerge-repo 2.5.6 clients ({@code interop/repo/cluster-client.mjs}, run by {@code
 * node}) on three nodes of one cluster edit one document at the same time. The {@code interop/}
 * project is found above {@code user.dir}; its {@code node_modules} must be installed ({@code npm
 * ci}, as {@code .ci/run deps} does).
 */
class ClusterJsIT {
  private static final int CHANGES_PER_CLIENT = 20;
  private static final Pattern HEADS = Pattern.compile("\"heads\":\\[([^\\]]*)\\]");

  @TempDir Path dir;

  @Test
  void jsClientsOnThreeNodes_editOneDocumentConcurrently_everyNodeAndClientConverges()
      throws Exception {
    ClusterOptions options =
        ClusterOptions.of(TestBroker.get().bootstrapServers())
            .withClusterName("js" + ProcessHandle.current().pid())
            .withPartitions(4);
    List<ConvergeServer> nodes = new ArrayList<>();
    try (Repo repo = Repo.inMemory()) {
      for (String name : List.of("a", "b", "c")) {
        nodes.add(
            ConvergeServer.start(
                ServerOptions.defaults(dir.resolve(name), 0), ClusterNode.join(options)));
      }
      DocumentId id;
      try (RepoPeer creator = client(repo, "creator", 11, ws(nodes.get(0)))) {
        DocHandle doc = creator.create();
        doc.change(tx -> tx.putObject(ObjId.ROOT, "items", ObjType.LIST));
        id = doc.id();
        for (ConvergeServer node : nodes) {
          await(
              () -> node.repo().find(id).map(h -> hashes(h).containsAll(hashes(doc))).orElse(false),
              "every node holds the new document");
        }
      }

      List<String> names = List.of("ja", "jb", "jc");
      List<Process> clients = new ArrayList<>();
      List<Path> errors = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        List<String> others = new ArrayList<>(names);
        others.remove(names.get(i));
        Path stderr = dir.resolve(names.get(i) + ".stderr");
        errors.add(stderr);
        clients.add(
            new ProcessBuilder(
                    "node",
                    "repo/cluster-client.mjs",
                    "edit",
                    ws(nodes.get(i)),
                    "automerge:" + id,
                    names.get(i),
                    Integer.toString(CHANGES_PER_CLIENT),
                    String.join(",", others))
                .directory(interopDirectory().toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start());
      }
      List<String> printed = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        printed.add(result(clients.get(i), errors.get(i)));
      }

      Set<String> clientHeads = heads(printed.get(0));
      for (String line : printed) {
        assertEquals(clientHeads, heads(line), "every client ends at the same heads");
        assertEquals(canonical(value(printed.get(0))), canonical(value(line)));
      }
      for (ConvergeServer node : nodes) {
        await(
            () -> hexHeads(node.repo().find(id).orElseThrow()).equals(clientHeads),
            "node on port " + node.port() + " reaches the clients' heads");
        assertEquals(
            canonical(value(printed.get(0))),
            canonical(node.repo().find(id).orElseThrow().toJson()));
      }
      String json = nodes.get(0).repo().find(id).orElseThrow().toJson();
      for (String name : names) {
        for (int n = 0; n < CHANGES_PER_CLIENT; n++) {
          assertTrue(json.contains("\"" + name + n + "\":" + n), name + n + " in " + json);
        }
      }
      assertEquals(
          3 * CHANGES_PER_CLIENT,
          (int)
              nodes
                  .get(0)
                  .repo()
                  .find(id)
                  .orElseThrow()
                  .read(
                      d -> d.length(((Value.Obj) d.get(ObjId.ROOT, "items").orElseThrow()).id())));
    } finally {
      for (ConvergeServer node : nodes) {
        node.close();
      }
    }
  }

  private static Set<String> hexHeads(DocHandle handle) {
    TreeSet<String> hex = new TreeSet<>();
    for (ChangeHash head : handle.heads()) {
      hex.add(head.toString());
    }
    return hex;
  }

  private static Set<String> heads(String line) {
    Matcher matcher = HEADS.matcher(line);
    assertTrue(matcher.find(), "no heads in " + line);
    TreeSet<String> heads = new TreeSet<>();
    for (String quoted : matcher.group(1).split(",", -1)) {
      heads.add(quoted.replace("\"", "").trim());
    }
    return heads;
  }

  /** The {@code value} member of a client's line: the document as JSON. */
  private static String value(String line) {
    int start = line.indexOf("\"value\":");
    assertTrue(start >= 0, "no value in " + line);
    return line.substring(start + "\"value\":".length(), line.lastIndexOf('}'));
  }

  /**
   * The test document ({@code {"items":[NAMES...],"KEY":NUMBER,...}}) with its map keys sorted: a
   * JavaScript client prints keys in the order its object gained them, which differs by client.
   */
  private static String canonical(String json) {
    int open = json.indexOf("\"items\":[");
    int close = json.indexOf(']', open);
    assertTrue(open >= 0 && close > open, "no items in " + json);
    String items = json.substring(open, close + 1);
    String rest = (json.substring(1, open) + json.substring(close + 1, json.length() - 1));
    TreeSet<String> pairs = new TreeSet<>();
    for (String pair : rest.split(",", -1)) {
      if (!pair.isBlank()) {
        pairs.add(pair.strip());
      }
    }
    return items + " " + pairs;
  }

  private static String result(Process client, Path stderr)
      throws IOException, InterruptedException {
    byte[] out = client.getInputStream().readAllBytes();
    if (!client.waitFor(90, TimeUnit.SECONDS)) {
      client.destroyForcibly();
      fail("a cluster client did not finish in 90 s");
    }
    String errors = Files.readString(stderr, StandardCharsets.UTF_8);
    String output = new String(out, StandardCharsets.UTF_8).strip();
    if (client.exitValue() != 0 || output.isEmpty()) {
      fail("a cluster client exited with " + client.exitValue() + ":\n" + errors + "\n" + output);
    }
    List<String> lines = output.lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static Path interopDirectory() {
    Path at = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (at != null && !Files.isRegularFile(at.resolve("interop/package.json"))) {
      at = at.getParent();
    }
    if (at == null) {
      return fail("interop/package.json not found above " + System.getProperty("user.dir"));
    }
    Path interop = at.resolve("interop");
    if (!Files.isRegularFile(
        interop.resolve("node_modules/@automerge/automerge-repo-network-websocket/package.json"))) {
      return fail(interop + "/node_modules lacks automerge-repo: run `npm ci` there");
    }
    return interop;
  }
}
