package dev.converge.core.model;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random concurrent editing history made by the engine itself: 3 to 5 actors, each a {@link
 * Document}, edit shared maps, lists, text, counters and the objects they nest, and now and then
 * one merges another's changes. Every choice comes from one seeded {@link Random}, so a seed
 * replays the history.
 *
 * <p>Edits aim at the places where merging is hard: list and text inserts go mostly to the head or
 * the first few elements, so concurrent inserts after the same element (the RGA tie-break) are
 * common; map edits use few keys, so concurrent puts conflict; actor IDs are random bytes, so the
 * actor tie-break compares bytes above 0x7f too.
 */
final class ConcurrentHistory {
  private static final String[] KEYS = {"a", "b", "c", "counter"};
  private static final String[] TEXT = {"x", "yz", "é", "😀", "abc"};
  private static final int DEPTH_MAX = 3;

  /**
   * The actors as they ended, and every change of the history, each once.
   *
   * @param actors the documents that made the changes, each with its own actor
   */
  record History(List<Document> actors, List<Change> changes) {}

  private ConcurrentHistory() {}

  /** One random history. */
  static History generate(Random random) {
    List<Document> actors = actors(random);
    int steps = 15 + random.nextInt(16);
    for (int step = 0; step < steps; step++) {
      Document actor = actors.get(random.nextInt(actors.size()));
      if (random.nextInt(4) == 0) {
        actor.merge(actors.get(random.nextInt(actors.size())));
      } else {
        int edits = 1 + random.nextInt(3);
        actor.change(
            tx -> {
              for (int i = 0; i < edits; i++) {
                edit(tx, random);
              }
            });
      }
    }
    Map<ChangeHash, Change> all = new LinkedHashMap<>();
    for (Document actor : actors) {
      for (Change change : actor.changes()) {
        all.putIfAbsent(change.hash(), change);
      }
    }
    return new History(actors, new ArrayList<>(all.values()));
  }

  private static List<Document> actors(Random random) {
    int count = 3 + random.nextInt(3);
    List<ActorId> ids = new ArrayList<>();
    while (ids.size() < count) {
      byte[] bytes = new byte[1 + random.nextInt(2)];
      random.nextBytes(bytes);
      ActorId id = ActorId.of(bytes);
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    Document first = Document.create(ids.get(0), () -> 0L);
    first.change(
        tx -> {
          tx.putObject(ObjId.ROOT, "map", ObjType.MAP);
          tx.putObject(ObjId.ROOT, "list", ObjType.LIST);
          tx.putObject(ObjId.ROOT, "text", ObjType.TEXT);
          tx.put(ObjId.ROOT, "counter", new ScalarValue.Counter(0));
        });
    List<Document> actors = new ArrayList<>();
    actors.add(first);
    for (int i = 1; i < count; i++) {
      actors.add(first.fork(ids.get(i)));
    }
    return actors;
  }

  private record Target(ObjId id, ObjType type, int depth) {}

  /** One random edit of a random object reachable from the root. */
  private static void edit(Transaction tx, Random random) {
    List<Target> targets = new ArrayList<>();
    collect(tx, new Target(ObjId.ROOT, ObjType.MAP, 0), targets);
    Target target = targets.get(random.nextInt(targets.size()));
    switch (target.type()) {
      case MAP:
      case TABLE:
        editMap(tx, target, random);
        break;
      case LIST:
        editList(tx, target, random);
        break;
      case TEXT:
        editText(tx, target.id(), random);
        break;
    }
  }

  private static void collect(ReadableDocument doc, Target target, List<Target> into) {
    into.add(target);
    List<Value> children = new ArrayList<>();
    if (target.type() == ObjType.MAP || target.type() == ObjType.TABLE) {
      for (String key : doc.keys(target.id())) {
        doc.get(target.id(), key).ifPresent(children::add);
      }
    } else if (target.type() == ObjType.LIST) {
      children.addAll(doc.values(target.id()));
    }
    for (Value child : children) {
      if (child instanceof Value.Obj obj) {
        collect(doc, new Target(obj.id(), obj.type(), target.depth() + 1), into);
      }
    }
  }

  private static void editMap(Transaction tx, Target map, Random random) {
    String key = KEYS[random.nextInt(KEYS.length)];
    boolean isCounter =
        tx.get(map.id(), key)
            .filter(v -> v instanceof Value.Scalar s && s.value() instanceof ScalarValue.Counter)
            .isPresent();
    int choice = random.nextInt(6);
    if (isCounter && random.nextBoolean()) {
      tx.increment(map.id(), key, random.nextInt(11) - 5);
    } else if (choice == 1 && map.depth() < DEPTH_MAX) {
      tx.putObject(map.id(), key, objType(random));
    } else if (choice == 2) {
      tx.delete(map.id(), key);
    } else if (choice == 3) {
      tx.put(map.id(), key, new ScalarValue.Counter(random.nextInt(10)));
    } else {
      tx.put(map.id(), key, scalar(random));
    }
  }

  private static void editList(Transaction tx, Target list, Random random) {
    int length = tx.length(list.id());
    int choice = random.nextInt(7);
    if (length == 0 || choice <= 2) {
      int index =
          random.nextBoolean() ? Math.min(length, random.nextInt(2)) : random.nextInt(length + 1);
      if (choice == 1 && list.depth() < DEPTH_MAX) {
        tx.insertObject(list.id(), index, objType(random));
      } else if (choice == 2) {
        tx.insert(list.id(), index, new ScalarValue.Counter(random.nextInt(10)));
      } else {
        tx.insert(list.id(), index, scalar(random));
      }
      return;
    }
    int index = random.nextInt(length);
    boolean isCounter =
        tx.get(list.id(), index)
            .filter(v -> v instanceof Value.Scalar s && s.value() instanceof ScalarValue.Counter)
            .isPresent();
    if (isCounter && random.nextBoolean()) {
      tx.increment(list.id(), index, random.nextInt(11) - 5);
    } else if (choice == 3) {
      tx.delete(list.id(), index);
    } else if (choice == 4 && list.depth() < DEPTH_MAX) {
      tx.putObject(list.id(), index, objType(random));
    } else {
      tx.put(list.id(), index, scalar(random));
    }
  }

  private static void editText(Transaction tx, ObjId text, Random random) {
    String content = tx.text(text);
    int index = random.nextBoolean() ? 0 : boundary(content, random.nextInt(content.length() + 1));
    int end = boundary(content, index + random.nextInt(Math.min(3, content.length() - index) + 1));
    String insert = random.nextInt(4) == 0 ? "" : TEXT[random.nextInt(TEXT.length)];
    tx.splice(text, index, end - index, insert);
  }

  /** Moves an index off the middle of a surrogate pair. */
  private static int boundary(String text, int index) {
    if (index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index))) {
      return index - 1;
    }
    return index;
  }

  private static ObjType objType(Random random) {
    return List.of(ObjType.MAP, ObjType.LIST, ObjType.TEXT).get(random.nextInt(3));
  }

  private static ScalarValue scalar(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return ScalarValue.str("s" + random.nextInt(10));
      case 1:
        return ScalarValue.integer(random.nextInt(100));
      case 2:
        return ScalarValue.bool(random.nextBoolean());
      default:
        return ScalarValue.NULL;
    }
  }
}
