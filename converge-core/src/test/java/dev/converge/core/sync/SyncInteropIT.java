package dev.converge.core.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Converge syncs with JavaScript Automerge 3.5.0: a Java peer and a Node peer ({@link
 * NodeSyncPeer}, {@code interop/sync-peer.mjs}) exchange sync messages over the child's stdin and
 * stdout until neither has anything to send.
 *
 * <p>How: each test builds both documents (the Node side makes seeded random edits, the Java side
 * {@link SyncDocs#edit}), then alternates Java → Node and Node → Java messages, recording them. It
 * checks heads and change sets on both sides, values both ways (Java loads JavaScript's save and
 * JavaScript loads Java's), and, where the protocol makes them deterministic, the message bytes.
 */
class SyncInteropIT {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  /** Messages of one exchange, in the order they were sent; "J" from Java, "N" from Node. */
  @SuppressWarnings("ArrayRecordComponent") // never compared
  private record Sent(String from, byte[] bytes) {
    SyncMessage decoded() {
      return SyncMessage.decode(bytes);
    }
  }

  private static List<Sent> exchange(
      Document java, SyncState state, NodeSyncPeer node, boolean nodeFirst, int maxRounds) {
    List<Sent> sent = new ArrayList<>();
    for (int round = 0; round <= maxRounds; round++) {
      boolean any = false;
      for (int turn = 0; turn < 2; turn++) {
        boolean nodeTurn = (turn == 0) == nodeFirst;
        if (nodeTurn) {
          Optional<byte[]> message = node.generate();
          if (message.isPresent()) {
            sent.add(new Sent("N", message.get()));
            Sync.receiveMessage(java, state, message.get());
            any = true;
          }
        } else {
          Optional<byte[]> message = Sync.generateMessage(java, state);
          if (message.isPresent()) {
            sent.add(new Sent("J", message.get()));
            node.receive(message.get());
            any = true;
          }
        }
      }
      if (!any) {
        return sent;
      }
    }
    throw new AssertionError("no quiescence after " + maxRounds + " rounds");
  }

  private static int rounds(List<Sent> sent) {
    int rounds = 0;
    String last = "";
    for (Sent message : sent) {
      if (!message.from().equals(last)
          && (rounds == 0 || message.from().equals(sent.get(0).from()))) {
        rounds++;
      }
      last = message.from();
    }
    return rounds;
  }

  private static List<ChangeHash> hashes(String json, String field) {
    int start = json.indexOf("\"" + field + "\":[");
    int end = json.indexOf(']', start);
    List<ChangeHash> result = new ArrayList<>();
    Matcher matcher = HASH.matcher(json.substring(start, end));
    while (matcher.find()) {
      result.add(ChangeHash.fromHex(matcher.group()));
    }
    return result;
  }

  private static void assertConverged(Document java, NodeSyncPeer node) {
    String nodeHeads = node.headsJson();
    assertEquals(java.heads(), hashes(nodeHeads, "heads"));
    assertEquals(
        new java.util.HashSet<>(java.hashesSince(List.of())),
        new java.util.HashSet<>(hashes(nodeHeads, "changes")));
    String compared = node.compareValue(java.save());
    assertTrue(compared.startsWith("{\"equal\":true"), compared);
    Document fromNode = Document.load(node.save());
    assertEquals(java.toJson(), fromNode.toJson());
    assertEquals(java.heads(), fromNode.heads());
  }

  @Test
  void divergentHistories_thousandsOfChangesEach_converge() throws Exception {
    Document java = SyncDocs.base();
    SyncDocs.edit(java, new Random(21), 300);
    try (NodeSyncPeer node = new NodeSyncPeer()) {
      node.load(java.save());
      java.setActor(SyncDocs.actor(7));
      SyncDocs.edit(java, new Random(22), 2_500);
      node.edit(2_000, 23);
      List<Sent> sent = exchange(java, new SyncState(), node, false, 20);
      assertConverged(java, node);
      // A random edit that changes nothing (a list delete of a just-deleted slot, say) makes no
      // change in JavaScript, so the total is a little under the number of edits.
      assertTrue(java.hashesSince(List.of()).size() > 4_700);
      assertTrue(rounds(sent) <= 4, "rounds " + rounds(sent));
      for (Sent message : sent.subList(2, sent.size())) {
        assertEquals(SyncMessage.Version.V2, message.decoded().version(), "after the first two");
      }
    }
  }

  @Test
  void divergentHistories_nodeStarts_converge() throws Exception {
    Document java = SyncDocs.base();
    SyncDocs.edit(java, new Random(31), 100);
    try (NodeSyncPeer node = new NodeSyncPeer()) {
      node.load(java.save());
      java.setActor(SyncDocs.actor(8));
      SyncDocs.edit(java, new Random(32), 1_000);
      node.edit(3_000, 33);
      exchange(java, new SyncState(), node, true, 20);
      assertConverged(java, node);
    }
  }

  @Test
  void alreadyInSync_atMostOneRound() throws Exception {
    Document java = SyncDocs.base();
    SyncDocs.edit(java, new Random(41), 1_000);
    try (NodeSyncPeer node = new NodeSyncPeer()) {
      node.load(java.save());
      List<Sent> sent = exchange(java, new SyncState(), node, false, 5);
      assertTrue(rounds(sent) <= 1, "rounds " + rounds(sent));
      assertTrue(sent.size() <= 2, "messages " + sent.size());
      for (Sent message : sent) {
        assertEquals(0, message.decoded().changeEntryCount());
      }
      assertConverged(java, node);
    }
  }

  /**
   * The first contact of automerge-compat §3.6, run twice with the same document: once Node holds
   * it and Java has nothing, once the reverse. The messages whose content the protocol fixes must
   * be byte-identical between the two runs; the whole-document message must carry a document chunk
   * in both.
   */
  @Test
  void firstContact_sameBytesFromBothImplementations() throws Exception {
    try (NodeSyncPeer node = new NodeSyncPeer()) {
      node.load(new byte[0]);
      node.edit(3, 51);
      byte[] saved = node.save();
      ChangeHash head = hashes(node.headsJson(), "heads").get(0);

      Document javaEmpty = Document.create(SyncDocs.actor(5), () -> 0L);
      List<Sent> nodeHolds = exchange(javaEmpty, new SyncState(), node, true, 10);
      assertConverged(javaEmpty, node);

      node.load(new byte[0]);
      Document javaHolds = Document.load(saved);
      List<Sent> javaHoldsRun = exchange(javaHolds, new SyncState(), node, false, 10);
      assertConverged(javaHolds, node);

      assertEquals(4, nodeHolds.size(), "four messages, then silence");
      assertEquals(4, javaHoldsRun.size(), "four messages, then silence");
      for (int i : new int[] {0, 1, 3}) {
        assertArrayEquals(
            nodeHolds.get(i).bytes(), javaHoldsRun.get(i).bytes(), "message " + (i + 1));
      }
      SyncMessage first = nodeHolds.get(0).decoded();
      assertEquals(0x42, nodeHolds.get(0).bytes()[0] & 0xff);
      assertEquals(List.of(head), first.heads());
      assertEquals(3, first.have().get(0).bloom().entryCount());
      SyncMessage second = nodeHolds.get(1).decoded();
      assertEquals(SyncMessage.Version.V2, second.version());
      assertEquals(List.of(), second.heads());
      assertEquals(List.of(head), second.need());
      for (List<Sent> run : List.of(nodeHolds, javaHoldsRun)) {
        SyncMessage third = run.get(2).decoded();
        assertEquals(SyncMessage.Version.V2, third.version());
        assertEquals(1, third.changeEntryCount());
        assertEquals(0, third.changes().get(0)[8], "a document chunk");
        assertEquals(List.of(head), Document.load(third.joinedChanges()).heads());
      }
      SyncMessage fourth = nodeHolds.get(3).decoded();
      assertEquals(List.of(new Have(List.of(head), BloomFilter.empty())), fourth.have());
    }
  }

  /** Bloom filters JavaScript wrote, recomputed by Converge from the same hashes, bit for bit. */
  @Test
  void bloomFilter_javaScriptVectors_sameBytes() throws Exception {
    try (NodeSyncPeer node = new NodeSyncPeer()) {
      node.load(new byte[0]);
      int total = 0;
      for (int batch : new int[] {1, 2, 5, 13, 100, 879}) {
        node.edit(batch, 60 + batch);
        total += batch;
        node.request('R', new byte[0]);
        byte[] message = node.generate().orElseThrow();
        List<ChangeHash> changes = hashes(node.headsJson(), "changes");
        assertTrue(changes.size() > total * 9 / 10, changes.size() + " of " + total);
        BloomFilter fromJs = SyncMessage.decode(message).have().get(0).bloom();
        assertArrayEquals(fromJs.toBytes(), BloomFilter.of(changes).toBytes(), total + " hashes");
        for (ChangeHash hash : changes) {
          assertTrue(fromJs.contains(hash));
        }
        Document java = Document.load(node.save());
        assertArrayEquals(
            message, Sync.generateMessage(java, new SyncState()).orElseThrow(), "first message");
      }
    }
  }
}
