package dev.converge.core.sync;

import dev.converge.core.ActorId;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Documents and a lossless in-memory pipe for the sync tests. Every random choice comes from a
 * seeded {@link Random}, so a failure replays from its seed.
 */
final class SyncDocs {
  private SyncDocs() {}

  /** An actor whose bytes are {@code id} repeated, so tests name actors by a number. */
  static ActorId actor(int id) {
    byte[] bytes = new byte[16];
    java.util.Arrays.fill(bytes, (byte) id);
    return ActorId.of(bytes);
  }

  /** A document holding a map, a list and a text under the root, made by actor 0. */
  static Document base() {
    Document doc = Document.create(actor(0), () -> 0L);
    doc.change(
        tx -> {
          tx.putObject(ObjId.ROOT, "map", ObjType.MAP);
          tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
          tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
        });
    return doc;
  }

  /** {@code count} local changes of random edits. */
  static void edit(Document doc, Random random, int count) {
    for (int i = 0; i < count; i++) {
      doc.change(tx -> editOnce(tx, random));
    }
  }

  private static void editOnce(Transaction tx, Random random) {
    switch (random.nextInt(4)) {
      case 0:
        tx.put(obj(tx, "map"), "k" + random.nextInt(8), ScalarValue.integer(random.nextInt(100)));
        break;
      case 1:
        {
          ObjId list = obj(tx, "list");
          int length = tx.length(list);
          if (length > 0 && random.nextInt(3) == 0) {
            tx.delete(list, random.nextInt(length));
          } else {
            tx.insert(list, random.nextInt(length + 1), ScalarValue.str("v" + random.nextInt(9)));
          }
          break;
        }
      default:
        {
          ObjId text = obj(tx, "text");
          int length = tx.length(text);
          int index = random.nextInt(length + 1);
          int delete = length > index && random.nextInt(4) == 0 ? 1 : 0;
          tx.splice(text, index, delete, String.valueOf((char) ('a' + random.nextInt(26))));
          break;
        }
    }
  }

  static ObjId obj(dev.converge.core.ReadableDocument doc, String key) {
    return ((Value.Obj) doc.get(ObjId.ROOT, key).orElseThrow()).id();
  }

  /** What one run of {@link #sync} cost. */
  @SuppressWarnings("ArrayRecordComponent") // never compared
  record Exchange(int rounds, int messages, long bytes, List<byte[]> log) {}

  /**
   * Alternates messages between the two sides through a lossless pipe until both return empty.
   *
   * @throws AssertionError if that takes more than {@code maxRounds} rounds
   */
  static Exchange sync(Document a, SyncState aState, Document b, SyncState bState, int maxRounds) {
    int rounds = 0;
    int messages = 0;
    long bytes = 0;
    List<byte[]> log = new ArrayList<>();
    while (true) {
      Optional<byte[]> toB = Sync.generateMessage(a, aState);
      if (toB.isPresent()) {
        Sync.receiveMessage(b, bState, toB.get());
      }
      Optional<byte[]> toA = Sync.generateMessage(b, bState);
      if (toA.isPresent()) {
        Sync.receiveMessage(a, aState, toA.get());
      }
      if (toB.isEmpty() && toA.isEmpty()) {
        return new Exchange(rounds, messages, bytes, log);
      }
      rounds++;
      for (Optional<byte[]> message : List.of(toB, toA)) {
        if (message.isPresent()) {
          messages++;
          bytes += message.get().length;
          log.add(message.get());
        }
      }
      if (rounds > maxRounds) {
        throw new AssertionError("no convergence after " + maxRounds + " rounds");
      }
    }
  }
}
