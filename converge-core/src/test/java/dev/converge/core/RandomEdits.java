package dev.converge.core;

import java.util.List;
import java.util.Random;

/**
 * Random local edits for property tests, drawn from a seeded {@link Random} so a failing seed
 * replays exactly. Documents start from {@link #init}: a map, a list, a text and a counter under
 * the root, made by one actor, so concurrent replicas edit shared objects.
 */
final class RandomEdits {
  static final String[] KEYS = {"a", "b", "c", "é", "😀"};
  static final List<ExpandMark> EXPANDS =
      List.of(ExpandMark.BEFORE, ExpandMark.AFTER, ExpandMark.BOTH, ExpandMark.NONE);

  private RandomEdits() {}

  static Document init(ActorId actor) {
    Document doc = Document.create(actor, () -> 0L);
    doc.change(
        tx -> {
          tx.putObject(ObjId.ROOT, "map", ObjType.MAP);
          tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
          tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(0));
        });
    return doc;
  }

  static ObjId obj(ReadableDocument doc, String key) {
    return ((Value.Obj) doc.get(ObjId.ROOT, key).orElseThrow()).id();
  }

  static ScalarValue scalar(Random random) {
    switch (random.nextInt(8)) {
      case 0:
        return ScalarValue.str("s" + random.nextInt(100));
      case 1:
        return ScalarValue.integer(random.nextLong());
      case 2:
        return new ScalarValue.Uint(random.nextInt(1000));
      case 3:
        return new ScalarValue.F64(random.nextDouble());
      case 4:
        return ScalarValue.bool(random.nextBoolean());
      case 5:
        return ScalarValue.NULL;
      case 6:
        return ScalarValue.Bytes.of(new byte[] {(byte) random.nextInt(), 1});
      default:
        return new ScalarValue.Timestamp(random.nextInt(1_000_000));
    }
  }

  /** One local change of 1 to 3 random edits. */
  static void edit(Document doc, Random random) {
    int edits = 1 + random.nextInt(3);
    doc.change(
        tx -> {
          for (int i = 0; i < edits; i++) {
            editOnce(tx, random);
          }
        });
  }

  static void editOnce(Transaction tx, Random random) {
    // The root objects may have been overwritten by a concurrent put; only edit what is there.
    switch (random.nextInt(8)) {
      case 0:
        tx.put(ObjId.ROOT, KEYS[random.nextInt(KEYS.length)], scalar(random));
        break;
      case 1:
        {
          ObjId map = obj(tx, "map");
          String key = KEYS[random.nextInt(KEYS.length)];
          if (random.nextInt(4) == 0) {
            tx.delete(map, key);
          } else {
            tx.put(map, key, scalar(random));
          }
          break;
        }
      case 2:
      case 3:
        {
          ObjId list = obj(tx, "list");
          int length = tx.length(list);
          int choice = random.nextInt(3);
          if (length == 0 || choice == 0) {
            tx.insert(list, random.nextInt(length + 1), scalar(random));
          } else if (choice == 1) {
            tx.delete(list, random.nextInt(length));
          } else {
            tx.put(list, random.nextInt(length), scalar(random));
          }
          break;
        }
      case 4:
      case 5:
      case 6:
        {
          ObjId text = obj(tx, "text");
          String content = tx.text(text);
          int index = boundary(content, random.nextInt(content.length() + 1));
          int end =
              boundary(content, index + random.nextInt(Math.min(3, content.length() - index) + 1));
          String insert = List.of("x", "yz", "é", "😀", "", "abc").get(random.nextInt(6));
          tx.splice(text, index, end - index, insert);
          if (random.nextInt(5) == 0 && tx.length(text) > 0) {
            String after = tx.text(text);
            int start = boundary(after, random.nextInt(after.length()));
            int stop = boundary(after, start + random.nextInt(after.length() - start + 1));
            ExpandMark expand = EXPANDS.get(random.nextInt(EXPANDS.size()));
            tx.mark(
                text,
                start,
                stop,
                expand,
                random.nextBoolean() ? "bold" : "link",
                random.nextInt(4) == 0 ? ScalarValue.NULL : ScalarValue.integer(random.nextInt(3)));
          }
          break;
        }
      default:
        tx.increment(ObjId.ROOT, "counter", random.nextInt(10) - 5);
        break;
    }
  }

  /** Moves an index off the middle of a surrogate pair. */
  static int boundary(String text, int index) {
    if (index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))) {
      return index - 1;
    }
    return index;
  }
}
