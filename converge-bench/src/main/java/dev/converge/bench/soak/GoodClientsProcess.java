package dev.converge.bench.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.converge.core.ChangeHash;
import dev.converge.repo.DocumentId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The good clients of {@link HostileSoak} in a JVM of their own, so that their edit-to-delivery
 * times hold neither the attack threads' CPU nor the harness's collector pauses: {@code
 * GoodClientsProcess URL ALICE_TOKEN BOB_TOKEN ALICE_PEER_ID DOCUMENT_ID EDITS_PER_SECOND}.
 *
 * <p>Connects alice and bob, prints {@code {"ready":true}}, and on the stdin line {@code go} has
 * each edit the document {@code EDITS_PER_SECOND} times a second. On {@code stop} (or when stdin
 * closes) it stops editing, waits up to 60 s for each to have the other's changes, prints one JSON
 * line (edits, every latency in nanoseconds, the hashes made, how many are undelivered) and exits.
 */
public final class GoodClientsProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GoodClientsProcess() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    DocumentId id = DocumentId.parse(args[4]);
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / Integer.parseInt(args[5]);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    ScheduledExecutorService editor = Executors.newSingleThreadScheduledExecutor();
    try (GoodClients clients = new GoodClients(url, args[1], args[2], args[3], id)) {
      System.out.println("{\"ready\":true}");
      System.out.flush();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.strip().equals("go")) {
          var unused =
              editor.scheduleAtFixedRate(
                  () -> {
                    clients.alice.edit();
                    clients.bob.edit();
                  },
                  0,
                  periodNanos,
                  TimeUnit.NANOSECONDS);
        } else if (line.strip().equals("stop")) {
          break;
        }
      }
      editor.shutdown();
      editor.awaitTermination(10, TimeUnit.SECONDS);
      long settleDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (clients.undelivered() > 0 && System.nanoTime() < settleDeadline) {
        Thread.sleep(100);
      }
      System.out.println(JSON.writeValueAsString(result(clients)));
      System.out.flush();
    } finally {
      editor.shutdownNow();
    }
  }

  private static ObjectNode result(GoodClients clients) {
    ObjectNode result = JSON.createObjectNode();
    result.put("edits", clients.alice.edits + clients.bob.edits);
    result.put("undelivered", clients.undelivered());
    ArrayNode latencies = result.putArray("latencies_nanos");
    clients.latenciesNanos.forEach(latencies::add);
    ArrayNode made = result.putArray("made");
    for (ChangeHash hash : clients.made()) {
      made.add(hash.toString());
    }
    return result;
  }
}
