package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.Document;
import dev.converge.core.ExpandMark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.core.TextUnit;
import dev.converge.core.Transaction;
import dev.converge.core.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Compaction keeps the value of any document. Each try draws a seed; a seeded PRNG then builds a
 * document from random edits (scalars of every type, counters and increments, nested maps and
 * lists, text with splices and marks, deletions) over several transactions, with a forked replica
 * editing concurrently and merged back, so conflicts and concurrent inserts occur. The compacted
 * document must hold the same value, compared object by object with types ({@link SameValue}), and
 * a single change. Replay a failure with the seed jqwik prints.
 */
class CompactPropertiesTest {

  @Property(tries = 150)
  void compact_randomDocument_valueEqualsOriginal(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    try (Repo repo = Repo.inMemory()) {
      DocHandle old = repo.create();
      for (int round = 0; round < 1 + random.nextInt(4); round++) {
        Document replica = Document.load(old.save());
        for (int t = 0; t < 1 + random.nextInt(4); t++) {
          old.change(tx -> edit(tx, random));
          replica.change(tx -> edit(tx, random));
        }
        old.applyChanges(replica.changes());
      }
      Document expected = Document.load(old.save());

      DocHandle successor = repo.compact(old.id());

      successor.read(
          actual -> {
            SameValue.assertSameValue(expected, actual);
            return null;
          });
      assertEquals(expected.toJson(), successor.toJson());
      assertTrue(successor.changes().size() <= 1);
    }
  }

  /** A few random edits at random places of the document. */
  private static void edit(Transaction tx, SplittableRandom random) {
    Transaction points = tx.inUnit(TextUnit.CODE_POINT);
    for (int i = 0; i < 1 + random.nextInt(6); i++) {
      List<ObjId> objects = objects(points);
      ObjId target = objects.get(random.nextInt(objects.size()));
      ObjType type = points.objType(target);
      if (type == ObjType.TEXT) {
        editText(points, target, random);
      } else if (type == ObjType.LIST) {
        editList(points, target, random);
      } else {
        editMap(points, target, random);
      }
    }
  }

  private static void editMap(Transaction tx, ObjId map, SplittableRandom random) {
    String key = "k" + random.nextInt(5);
    int choice = random.nextInt(10);
    if (choice < 5) {
      tx.put(map, key, scalar(random));
    } else if (choice < 7) {
      tx.putObject(map, key, OBJECT_TYPES.get(random.nextInt(OBJECT_TYPES.size())));
    } else if (choice < 8) {
      tx.delete(map, key);
    } else if (tx.get(map, key).orElse(null) instanceof Value.Scalar scalar
        && scalar.value() instanceof ScalarValue.Counter) {
      tx.increment(map, key, random.nextInt(21) - 10);
    } else {
      tx.put(map, key, new ScalarValue.Counter(random.nextInt(100)));
    }
  }

  private static void editList(Transaction tx, ObjId list, SplittableRandom random) {
    int length = tx.length(list);
    int choice = random.nextInt(10);
    if (choice < 5 || length == 0) {
      tx.insert(list, random.nextInt(length + 1), scalar(random));
    } else if (choice < 7) {
      tx.insertObject(
          list, random.nextInt(length + 1), random.nextBoolean() ? ObjType.MAP : ObjType.TEXT);
    } else if (choice < 9) {
      tx.delete(list, random.nextInt(length));
    } else {
      tx.put(list, random.nextInt(length), scalar(random));
    }
  }

  private static final List<ObjType> OBJECT_TYPES =
      List.of(ObjType.MAP, ObjType.LIST, ObjType.TEXT, ObjType.TABLE);
  private static final List<ExpandMark> EXPANDS =
      List.of(ExpandMark.BEFORE, ExpandMark.AFTER, ExpandMark.BOTH, ExpandMark.NONE);

  private static final String[] WORDS = {"a", "bc", "déf", "😀", "ghij ", "\n", "中文"};

  private static void editText(Transaction tx, ObjId text, SplittableRandom random) {
    int length = tx.length(text);
    int choice = random.nextInt(10);
    if (choice < 6 || length == 0) {
      tx.splice(text, random.nextInt(length + 1), 0, WORDS[random.nextInt(WORDS.length)]);
    } else if (choice < 8) {
      int start = random.nextInt(length);
      tx.splice(text, start, Math.min(length - start, 1 + random.nextInt(3)), "");
    } else {
      int start = random.nextInt(length);
      int end = start + 1 + random.nextInt(length - start);
      ScalarValue value = random.nextBoolean() ? ScalarValue.TRUE : ScalarValue.str("u" + start);
      tx.mark(
          text,
          start,
          end,
          EXPANDS.get(random.nextInt(EXPANDS.size())),
          "m" + random.nextInt(3),
          value);
    }
  }

  private static ScalarValue scalar(SplittableRandom random) {
    switch (random.nextInt(9)) {
      case 0:
        return ScalarValue.NULL;
      case 1:
        return ScalarValue.bool(random.nextBoolean());
      case 2:
        return ScalarValue.integer(random.nextLong());
      case 3:
        return new ScalarValue.Uint(random.nextLong());
      case 4:
        return new ScalarValue.F64(random.nextDouble() * 1e6 - 5e5);
      case 5:
        return ScalarValue.str("s" + random.nextInt(1000));
      case 6:
        return ScalarValue.Bytes.of(new byte[] {(byte) random.nextInt(), (byte) random.nextInt()});
      case 7:
        return new ScalarValue.Timestamp(random.nextLong(0, 4_000_000_000_000L));
      default:
        return new ScalarValue.Counter(random.nextInt(1000) - 500);
    }
  }

  /** Every object of the document reachable from the root, the root first. */
  private static List<ObjId> objects(Transaction tx) {
    List<ObjId> found = new ArrayList<>();
    found.add(ObjId.ROOT);
    for (int i = 0; i < found.size(); i++) {
      ObjId obj = found.get(i);
      List<Value> children = new ArrayList<>();
      if (tx.objType(obj).isSequence()) {
        children.addAll(tx.values(obj));
      } else {
        for (String key : tx.keys(obj)) {
          children.add(tx.get(obj, key).orElseThrow());
        }
      }
      for (Value child : children) {
        if (child instanceof Value.Obj nested) {
          found.add(nested.id());
        }
      }
    }
    return found;
  }
}
