package dev.converge.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Random edits anywhere in a document, for the undo properties: every reachable object may be the
 * target, so edits nest objects, overwrite and delete them, splice and mark text, and increment
 * counters. Drawn from a seeded {@link SplittableRandom}, so a seed replays exactly.
 */
public final class UndoEdits {
  private static final String[] KEYS = {"a", "b", "c", "é"};
  private static final String[] INSERTS = {"x", "yz", "é", "😀", "", "abc"};
  private static final ExpandMark[] EXPANDS = ExpandMark.values();
  private static final int DEPTH_MAX = 3;

  private UndoEdits() {}

  /** A reachable object and how deep it sits. */
  private record Target(ObjId id, ObjType type, int depth) {}

  /** One to three random edits in {@code tx}. */
  public static void edit(Transaction tx, SplittableRandom random) {
    int edits = 1 + random.nextInt(3);
    for (int i = 0; i < edits; i++) {
      editOnce(tx, random);
    }
  }

  static void editOnce(Transaction tx, SplittableRandom random) {
    List<Target> targets = targets(tx);
    Target target = targets.get(random.nextInt(targets.size()));
    boolean nest = target.depth() < DEPTH_MAX;
    switch (target.type()) {
      case MAP, TABLE -> editMap(tx, target.id(), nest, random);
      case LIST -> editList(tx, target.id(), nest, random);
      case TEXT -> editText(tx, target.id(), random);
    }
  }

  private static List<Target> targets(ReadableDocument doc) {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target(ObjId.ROOT, ObjType.MAP, 0));
    for (int i = 0; i < targets.size(); i++) {
      Target parent = targets.get(i);
      List<Value> children = new ArrayList<>();
      if (parent.type() == ObjType.MAP || parent.type() == ObjType.TABLE) {
        for (String key : doc.keys(parent.id())) {
          children.add(doc.get(parent.id(), key).orElseThrow());
        }
      } else if (parent.type() == ObjType.LIST) {
        children.addAll(doc.values(parent.id()));
      }
      for (Value child : children) {
        if (child instanceof Value.Obj obj) {
          targets.add(new Target(obj.id(), obj.type(), parent.depth() + 1));
        }
      }
    }
    return targets;
  }

  static ScalarValue scalar(SplittableRandom random) {
    return switch (random.nextInt(6)) {
      case 0 -> ScalarValue.str("s" + random.nextInt(10));
      case 1 -> ScalarValue.integer(random.nextInt(100));
      case 2 -> new ScalarValue.F64(random.nextInt(8) / 4.0);
      case 3 -> ScalarValue.bool(random.nextBoolean());
      case 4 -> ScalarValue.NULL;
      default -> new ScalarValue.Counter(random.nextInt(5));
    };
  }

  private static ObjType objType(SplittableRandom random) {
    return new ObjType[] {ObjType.MAP, ObjType.LIST, ObjType.TEXT}[random.nextInt(3)];
  }

  private static void editMap(Transaction tx, ObjId map, boolean nest, SplittableRandom random) {
    String key = KEYS[random.nextInt(KEYS.length)];
    int choice = random.nextInt(10);
    if (choice < 2 && tx.get(map, key).isPresent()) {
      tx.delete(map, key);
    } else if (choice < 4 && isCounter(tx.get(map, key).orElse(null))) {
      tx.increment(map, key, random.nextInt(7) - 3);
    } else if (choice < 6 && nest) {
      ObjType type = objType(random);
      ObjId made = tx.putObject(map, key, type);
      if (type == ObjType.TEXT) {
        tx.splice(made, 0, 0, INSERTS[random.nextInt(INSERTS.length)]);
      }
    } else {
      tx.put(map, key, scalar(random));
    }
  }

  private static void editList(Transaction tx, ObjId list, boolean nest, SplittableRandom random) {
    int length = tx.length(list);
    int choice = random.nextInt(10);
    if (length == 0 || choice < 3) {
      int index = random.nextInt(length + 1);
      if (nest && random.nextInt(4) == 0) {
        tx.insertObject(list, index, objType(random));
      } else {
        tx.insert(list, index, scalar(random));
      }
    } else if (choice < 5) {
      int index = random.nextInt(length);
      int count = 1 + random.nextInt(Math.min(3, length - index));
      tx.splice(list, index, count, List.of());
    } else if (choice < 8 && nest) {
      tx.putObject(list, random.nextInt(length), objType(random));
    } else {
      int index = random.nextInt(length);
      if (isCounter(tx.get(list, index).orElse(null))) {
        tx.increment(list, index, random.nextInt(5) - 2);
      } else {
        tx.put(list, index, scalar(random));
      }
    }
  }

  private static void editText(Transaction tx, ObjId text, SplittableRandom random) {
    String content = tx.text(text);
    if (content.isEmpty() || random.nextInt(4) != 0) {
      int index = boundary(content, random.nextInt(content.length() + 1));
      int end =
          boundary(content, index + random.nextInt(Math.min(4, content.length() - index) + 1));
      tx.splice(text, index, end - index, INSERTS[random.nextInt(INSERTS.length)]);
      return;
    }
    int start = boundary(content, random.nextInt(content.length()));
    if (start >= content.length()) {
      return;
    }
    int stop = boundary(content, start + 1 + random.nextInt(content.length() - start));
    if (stop <= start) {
      return;
    }
    String name = random.nextBoolean() ? "bold" : "link";
    ScalarValue value =
        random.nextInt(4) == 0 ? ScalarValue.NULL : ScalarValue.integer(random.nextInt(3));
    tx.mark(text, start, stop, EXPANDS[random.nextInt(EXPANDS.length)], name, value);
  }

  private static boolean isCounter(@Nullable Value value) {
    return value instanceof Value.Scalar scalar && scalar.value() instanceof ScalarValue.Counter;
  }

  /** {@code index}, moved forward off the middle of a surrogate pair. */
  private static int boundary(String text, int index) {
    int clamped = Math.min(index, text.length());
    if (clamped > 0
        && clamped < text.length()
        && Character.isLowSurrogate(text.charAt(clamped))
        && Character.isHighSurrogate(text.charAt(clamped - 1))) {
      return clamped + 1;
    }
    return clamped;
  }
}
