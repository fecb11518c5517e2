package dev.converge.sim;

import dev.converge.core.Document;
import dev.converge.core.ExpandMark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Random local edits drawn from the run's PRNG: scalars and nested objects in maps, list inserts,
 * deletes and overwrites, text splices with non-ASCII (accents, emoji as surrogate pairs), marks,
 * and counter increments.
 *
 * <p>Documents are shaped as {@code {map: {}, list: [], text: "", counter: 0}} under the root, but
 * a replica that started empty may find those keys missing, or holding another type after a
 * concurrent put won the conflict: each edit checks what is there and creates or overwrites it.
 */
final class SimEdits {
  private static final String[] KEYS = {"a", "b", "é", "ключ", "😀", "k"};
  private static final String[] INSERTS = {"x", "yz", "é", "😀", "", "abc", "日本", "\n"};
  private static final List<ExpandMark> EXPANDS =
      List.of(ExpandMark.BEFORE, ExpandMark.AFTER, ExpandMark.BOTH, ExpandMark.NONE);

  private SimEdits() {}

  /** Creates the root objects, as the base change of a shared document. */
  static void init(Transaction tx) {
    tx.putObject(ObjId.ROOT, "map", ObjType.MAP);
    tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
    tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
    tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(0));
  }

  /** One local change of 1 to 3 random edits; empty if the edits made no ops. */
  static Optional<dev.converge.core.Change> change(Document doc, SplittableRandom random) {
    int edits = 1 + random.nextInt(3);
    return doc.change(
        tx -> {
          for (int i = 0; i < edits; i++) {
            editOnce(tx, random);
          }
        });
  }

  static ScalarValue scalar(SplittableRandom random) {
    switch (random.nextInt(8)) {
      case 0:
        return ScalarValue.str(KEYS[random.nextInt(KEYS.length)] + random.nextInt(100));
      case 1:
        return ScalarValue.integer(random.nextLong());
      case 2:
        return new ScalarValue.Uint(random.nextInt(1000));
      case 3:
        return new ScalarValue.F64(random.nextInt(1000) / 8.0);
      case 4:
        return ScalarValue.bool(random.nextBoolean());
      case 5:
        return ScalarValue.NULL;
      case 6:
        return ScalarValue.Bytes.of(new byte[] {(byte) random.nextInt(256), 1});
      default:
        return new ScalarValue.Timestamp(random.nextInt(1_000_000));
    }
  }

  private static void editOnce(Transaction tx, SplittableRandom random) {
    int kind = random.nextInt(12);
    if (kind == 0) {
      tx.put(ObjId.ROOT, KEYS[random.nextInt(KEYS.length)], scalar(random));
    } else if (kind <= 2) {
      editMap(tx, object(tx, "map", ObjType.MAP), random);
    } else if (kind <= 5) {
      editList(tx, object(tx, "list", ObjType.LIST), random);
    } else if (kind <= 9) {
      editText(tx, object(tx, "text", ObjType.TEXT), random);
    } else {
      increment(tx, random);
    }
  }

  /** The object under {@code key} of the root, created (overwriting any other value) if needed. */
  private static ObjId object(Transaction tx, String key, ObjType type) {
    Optional<Value> value = tx.get(ObjId.ROOT, key);
    if (value.isPresent() && value.get() instanceof Value.Obj obj && obj.type() == type) {
      return obj.id();
    }
    return tx.putObject(ObjId.ROOT, key, type);
  }

  private static void editMap(Transaction tx, ObjId map, SplittableRandom random) {
    String key = KEYS[random.nextInt(KEYS.length)];
    int choice = random.nextInt(6);
    if (choice == 0) {
      tx.delete(map, key);
    } else if (choice == 1) {
      ObjId nested = tx.putObject(map, key, ObjType.MAP);
      tx.put(nested, KEYS[random.nextInt(KEYS.length)], scalar(random));
    } else {
      tx.put(map, key, scalar(random));
    }
  }

  private static void editList(Transaction tx, ObjId list, SplittableRandom random) {
    int length = tx.length(list);
    int choice = random.nextInt(5);
    if (length == 0 || choice <= 1) {
      tx.insert(list, random.nextInt(length + 1), scalar(random));
    } else if (choice == 2) {
      tx.delete(list, random.nextInt(length));
    } else if (choice == 3) {
      tx.put(list, random.nextInt(length), scalar(random));
    } else {
      ObjId nested = tx.insertObject(list, random.nextInt(length + 1), ObjType.MAP);
      tx.put(nested, "v", scalar(random));
    }
  }

  private static void editText(Transaction tx, ObjId text, SplittableRandom random) {
    String content = tx.text(text);
    int index = boundary(content, random.nextInt(content.length() + 1));
    int end = boundary(content, index + random.nextInt(Math.min(3, content.length() - index) + 1));
    tx.splice(text, index, end - index, INSERTS[random.nextInt(INSERTS.length)]);
    if (random.nextInt(4) == 0 && tx.length(text) > 0) {
      String after = tx.text(text);
      int start = boundary(after, random.nextInt(after.length()));
      int stop = boundary(after, start + random.nextInt(after.length() - start + 1));
      tx.mark(
          text,
          start,
          stop,
          EXPANDS.get(random.nextInt(EXPANDS.size())),
          random.nextBoolean() ? "bold" : "link",
          random.nextInt(4) == 0 ? ScalarValue.NULL : ScalarValue.integer(random.nextInt(3)));
    }
  }

  private static void increment(Transaction tx, SplittableRandom random) {
    Optional<Value> value = tx.get(ObjId.ROOT, "counter");
    if (value.isPresent()
        && value.get() instanceof Value.Scalar scalar
        && scalar.value() instanceof ScalarValue.Counter) {
      tx.increment(ObjId.ROOT, "counter", random.nextInt(11) - 5);
    } else {
      tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(random.nextInt(5)));
    }
  }

  /** Moves an index off the middle of a surrogate pair. */
  private static int boundary(String text, int index) {
    if (index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))) {
      return index - 1;
    }
    return index;
  }
}
