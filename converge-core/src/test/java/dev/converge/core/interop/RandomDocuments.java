package dev.converge.core.interop;

import dev.converge.core.ActorId;
import dev.converge.core.Conflict;
import dev.converge.core.Document;
import dev.converge.core.ExpandMark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Random documents built through Converge's public API, for JavaScript to load: 2 to 4 actors fork
 * one init change, edit concurrently in rounds (map puts and deletes of every scalar type, nested
 * maps, lists and texts, list inserts, sets and deletes, text splices with non-ASCII and a ZWJ
 * sequence, marks and unmarks with every expand mode, counter increments, concurrent writes to the
 * same keys), merge in random pairs between rounds, and all merge at the end. Everything comes from
 * one seeded {@link Random} and a fake clock, so a seed replays exactly.
 *
 * <p>The edits are a superset of {@code dev.converge.core.RandomEdits} (package-private there):
 * values span the full 64-bit ranges that survive a round trip through JavaScript numbers and
 * BigInts.
 */
final class RandomDocuments {
  static final String[] KEYS = {"a", "b", "é", "日本", "🐙", "key with space", "k\u0000nul", ""};
  static final String[] STRINGS = {"", "x", "plain", "é", "日本語", "🙂", "👩‍👩‍👧", "a\nb"};
  static final String[] INSERTS = {"a", "xyz", " ", "é", "日本", "🙂", "👩‍👩‍👧", "ok\n", "Ω"};
  static final String[] MARK_NAMES = {"bold", "italic", "link", "comment"};
  static final List<ExpandMark> EXPANDS =
      List.of(ExpandMark.BEFORE, ExpandMark.AFTER, ExpandMark.BOTH, ExpandMark.NONE);

  /** A built document, and the bytes of an earlier save followed by its incremental save. */
  static final class Built {
    final Document doc;
    private final byte[] chunks;

    Built(Document doc, byte[] chunks) {
      this.doc = doc;
      this.chunks = chunks.clone();
    }

    byte[] chunks() {
      return chunks.clone();
    }
  }

  private final Random random;
  private final AtomicLong clock;

  private RandomDocuments(long seed) {
    this.random = new Random(seed);
    this.clock = new AtomicLong(1_700_000_000_000L + seed * 100_000);
  }

  static Built build(long seed) {
    return new RandomDocuments(seed).build();
  }

  private Built build() {
    int actorCount = 2 + random.nextInt(3);
    List<Document> replicas = new ArrayList<>();
    Document first = Document.create(actor(), this::tick);
    first.change(
        tx -> {
          ObjId title = tx.putObject(ObjId.ROOT, "title", ObjType.TEXT);
          tx.splice(title, 0, 0, "Doc é");
          ObjId list = tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
          tx.insert(list, 0, ScalarValue.str("one"));
          tx.insert(list, 1, ScalarValue.integer(2));
          ObjId text = tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.splice(text, 0, 0, "hello wörld 🙂");
          tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(random.nextInt(11) - 5));
          ObjId map = tx.putObject(ObjId.ROOT, "map", ObjType.MAP);
          tx.put(map, "a", 1);
        });
    replicas.add(first);
    for (int i = 1; i < actorCount; i++) {
      replicas.add(first.fork(actor()));
    }
    boolean big = random.nextInt(5) == 0;
    int rounds = 2 + random.nextInt(4);
    byte @Nullable [] snapshot = null;
    for (int round = 0; round < rounds; round++) {
      for (Document replica : replicas) {
        int changes = random.nextInt(big ? 6 : 3);
        for (int c = 0; c < changes; c++) {
          int edits = 1 + random.nextInt(big ? 12 : 4);
          replica.change(
              tx -> {
                for (int e = 0; e < edits; e++) {
                  edit(tx);
                }
              });
        }
      }
      if (big && round == 0) {
        // A long paste, so that some columns reach the 256 bytes at which save() compresses.
        StringBuilder paste = new StringBuilder();
        while (paste.length() < 400) {
          paste.append(pick(INSERTS));
        }
        replicas
            .get(0)
            .change(
                tx ->
                    tx.get(ObjId.ROOT, "text")
                        .filter(
                            value ->
                                value instanceof Value.Obj obj
                                    && tx.objType(obj.id()) == ObjType.TEXT)
                        .ifPresent(
                            value -> tx.splice(((Value.Obj) value).id(), 0, 0, paste.toString())));
      }
      if (random.nextInt(5) < 3) {
        String key = List.of("hot", "é", "🐙").get(random.nextInt(3));
        for (Document replica : replicas) {
          if (random.nextInt(10) < 7) {
            replica.change(tx -> putSomething(tx, ObjId.ROOT, key));
          }
        }
      }
      int merges = 1 + random.nextInt(2);
      for (int m = 0; m < merges; m++) {
        int a = random.nextInt(replicas.size());
        int b = (a + 1 + random.nextInt(replicas.size() - 1)) % replicas.size();
        replicas.get(a).merge(replicas.get(b));
      }
      if (round == rounds / 2) {
        snapshot = replicas.get(0).save();
      }
    }
    Document doc = replicas.get(0);
    for (int i = 1; i < replicas.size(); i++) {
      doc.merge(replicas.get(i));
    }
    if (random.nextBoolean()) {
      doc.change(this::edit);
    }
    byte[] incremental = doc.saveIncremental();
    // Saved in the middle round, which every run of two or more rounds has.
    byte[] saved = Objects.requireNonNull(snapshot, "snapshot");
    byte[] chunks = new byte[saved.length + incremental.length];
    System.arraycopy(saved, 0, chunks, 0, saved.length);
    System.arraycopy(incremental, 0, chunks, saved.length, incremental.length);
    return new Built(doc, chunks);
  }

  private long tick() {
    return clock.addAndGet(1 + random.nextInt(5000));
  }

  private ActorId actor() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return ActorId.of(bytes);
  }

  private ScalarValue scalar() {
    switch (random.nextInt(10)) {
      case 0:
        return ScalarValue.str(STRINGS[random.nextInt(STRINGS.length)]);
      case 1:
        return ScalarValue.integer(
            List.of(0L, -1L, 42L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53, random.nextLong())
                .get(random.nextInt(7)));
      case 2:
        return new ScalarValue.Uint(
            List.of(0L, 255L, -1L, 1L << 63, random.nextLong()).get(random.nextInt(5)));
      case 3:
        return new ScalarValue.F64(
            List.of(0.0, -0.0, 1.5, 1e300, Double.MIN_VALUE, -2.5e-308, random.nextDouble() * 1e6)
                .get(random.nextInt(7)));
      case 4:
        return ScalarValue.bool(random.nextBoolean());
      case 5:
        return ScalarValue.NULL;
      case 6:
        {
          byte[] bytes = new byte[random.nextInt(6)];
          random.nextBytes(bytes);
          return ScalarValue.Bytes.of(bytes);
        }
      case 7:
        // JavaScript Dates hold at most 8.64e15 ms either side of the epoch.
        return new ScalarValue.Timestamp(random.nextLong() % 8_000_000_000_000_000L);
      default:
        return new ScalarValue.Counter(random.nextInt(101) - 50);
    }
  }

  /** Puts a scalar, or a new map, list or text with some content, at {@code key}. */
  private void putSomething(Transaction tx, ObjId map, String key) {
    switch (random.nextInt(6)) {
      case 0:
        fill(tx, tx.putObject(map, key, ObjType.MAP), ObjType.MAP);
        break;
      case 1:
        fill(tx, tx.putObject(map, key, ObjType.LIST), ObjType.LIST);
        break;
      case 2:
        fill(tx, tx.putObject(map, key, ObjType.TEXT), ObjType.TEXT);
        break;
      default:
        tx.put(map, key, scalar());
        break;
    }
  }

  private void insertSomething(Transaction tx, ObjId list, int index) {
    switch (random.nextInt(6)) {
      case 0:
        fill(tx, tx.insertObject(list, index, ObjType.MAP), ObjType.MAP);
        break;
      case 1:
        fill(tx, tx.insertObject(list, index, ObjType.LIST), ObjType.LIST);
        break;
      case 2:
        fill(tx, tx.insertObject(list, index, ObjType.TEXT), ObjType.TEXT);
        break;
      default:
        tx.insert(list, index, scalar());
        break;
    }
  }

  private void fill(Transaction tx, ObjId obj, ObjType type) {
    switch (type) {
      case MAP -> tx.put(obj, KEYS[random.nextInt(KEYS.length)], scalar());
      case LIST -> {
        tx.insert(obj, 0, scalar());
        tx.insert(obj, 1, scalar());
      }
      default -> tx.splice(obj, 0, 0, pick(INSERTS) + pick(INSERTS));
    }
  }

  private String pick(String[] items) {
    return items[random.nextInt(items.length)];
  }

  /** One random edit of a random object reachable from the root. */
  private void edit(Transaction tx) {
    List<ObjId> objects = new ArrayList<>();
    collect(tx, ObjId.ROOT, 0, objects);
    ObjId target = objects.get(random.nextInt(objects.size()));
    switch (tx.objType(target)) {
      case MAP, TABLE -> editMap(tx, target);
      case LIST -> editList(tx, target);
      case TEXT -> editText(tx, target);
    }
  }

  private static void collect(ReadableDocument doc, ObjId obj, int depth, List<ObjId> out) {
    out.add(obj);
    if (depth >= 4 || doc.objType(obj) == ObjType.TEXT) {
      return;
    }
    List<Value> children = new ArrayList<>();
    if (doc.objType(obj).isSequence()) {
      children.addAll(doc.values(obj));
    } else {
      for (String key : doc.keys(obj)) {
        doc.get(obj, key).ifPresent(children::add);
      }
    }
    for (Value child : children) {
      if (child instanceof Value.Obj nested) {
        collect(doc, nested.id(), depth + 1, out);
      }
    }
  }

  private void editMap(Transaction tx, ObjId map) {
    List<String> keys = tx.keys(map);
    List<String> counters = new ArrayList<>();
    for (String key : keys) {
      if (isCounter(tx.conflicts(map, key))) {
        counters.add(key);
      }
    }
    int roll = random.nextInt(20);
    if (roll < 2 && !counters.isEmpty()) {
      tx.increment(map, counters.get(random.nextInt(counters.size())), random.nextInt(19) - 9);
    } else if (roll < 5 && !keys.isEmpty()) {
      tx.delete(map, keys.get(random.nextInt(keys.size())));
    } else {
      putSomething(tx, map, KEYS[random.nextInt(KEYS.length)]);
    }
  }

  private void editList(Transaction tx, ObjId list) {
    int length = tx.length(list);
    List<Integer> counters = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      if (isCounter(tx.conflicts(list, i))) {
        counters.add(i);
      }
    }
    int roll = random.nextInt(20);
    if (roll < 2 && !counters.isEmpty()) {
      tx.increment(list, counters.get(random.nextInt(counters.size())), random.nextInt(19) - 9);
    } else if (roll < 6 && length > 0) {
      tx.delete(list, random.nextInt(length));
    } else if (roll < 9 && length > 0) {
      tx.put(list, random.nextInt(length), scalar());
    } else {
      insertSomething(tx, list, random.nextInt(length + 1));
    }
  }

  private static boolean isCounter(List<Conflict> conflicts) {
    return !conflicts.isEmpty()
        && conflicts.get(conflicts.size() - 1).value() instanceof Value.Scalar scalar
        && scalar.value() instanceof ScalarValue.Counter;
  }

  private void editText(Transaction tx, ObjId text) {
    String content = tx.text(text);
    List<Integer> points = boundaries(content);
    if (random.nextInt(20) < 3 && !content.isEmpty()) {
      int startIndex = random.nextInt(points.size() - 1);
      int endIndex = startIndex + 1 + random.nextInt(points.size() - 1 - startIndex);
      ExpandMark expand = EXPANDS.get(random.nextInt(EXPANDS.size()));
      String name = pick(MARK_NAMES);
      if (random.nextInt(10) < 3) {
        tx.unmark(text, points.get(startIndex), points.get(endIndex), expand, name);
      } else {
        ScalarValue value =
            List.<ScalarValue>of(
                    ScalarValue.TRUE,
                    ScalarValue.integer(7),
                    ScalarValue.integer(-3),
                    ScalarValue.str("https://é.example/日本"),
                    new ScalarValue.F64(1.5))
                .get(random.nextInt(5));
        tx.mark(text, points.get(startIndex), points.get(endIndex), expand, name, value);
      }
    } else {
      int startIndex = random.nextInt(points.size());
      int deleteTo =
          random.nextInt(10) < 4
              ? Math.min(points.size() - 1, startIndex + random.nextInt(4))
              : startIndex;
      String insert = random.nextInt(20) < 17 ? pick(INSERTS) : "";
      tx.splice(
          text, points.get(startIndex), points.get(deleteTo) - points.get(startIndex), insert);
    }
  }

  /** The UTF-16 indexes of {@code s} that do not split a surrogate pair. */
  private static List<Integer> boundaries(String s) {
    List<Integer> points = new ArrayList<>();
    points.add(0);
    int index = 0;
    while (index < s.length()) {
      index += Character.charCount(s.codePointAt(index));
      points.add(index);
    }
    return points;
  }
}
