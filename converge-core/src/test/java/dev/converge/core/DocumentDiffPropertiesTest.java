package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link Document#diff} against a second path: a plain copy of the version {@code before}, patched
 * with the diff by {@link PatchApplier}, must equal a copy of the version {@code after} read
 * straight from the document, marks on every character included. Histories are random forks and
 * merges among three actors over the objects of {@link RandomEdits}, plus a nested object that is
 * created, filled, overwritten and deleted; the two versions are any prefixes of the history or any
 * single change's closure, so diffs go forward, backward and across concurrent branches.
 */
class DocumentDiffPropertiesTest {
  private static final ActorId[] ACTORS = {
    ActorId.fromHex("01"), ActorId.fromHex("02"), ActorId.fromHex("03")
  };

  @Property(tries = 300)
  void diff_appliedToBefore_givesAfter(@ForAll long seed) {
    Random random = new Random(seed);
    Document whole = randomHistory(random);
    for (int pair = 0; pair < 4; pair++) {
      List<ChangeHash> before = randomVersion(whole, random);
      List<ChangeHash> after = randomVersion(whole, random);

      Map<String, Object> patched = PatchApplier.copy(whole.at(before));
      PatchApplier.apply(patched, whole.diff(before, after));

      Map<String, Object> expected = PatchApplier.copy(whole.at(after));
      assertEquals(shown(expected), shown(patched), "seed " + seed);
      assertEquals(marks(expected), marks(patched), "marks, seed " + seed);
    }
  }

  @Property(tries = 100)
  void diff_ofAVersionWithItself_isEmpty(@ForAll long seed) {
    Random random = new Random(seed);
    Document whole = randomHistory(random);
    List<ChangeHash> version = randomVersion(whole, random);
    assertEquals(List.of(), whole.diff(version, version));
  }

  /** The copy with every text as its string, for a readable comparison. */
  private static String shown(Object copy) {
    return String.valueOf(copy);
  }

  private static Object marks(Map<String, Object> copy) {
    Object text = copy.get("text");
    return text instanceof PatchApplier.RichText rich ? rich.marks() : List.of();
  }

  private static List<ChangeHash> randomVersion(Document whole, Random random) {
    int count = whole.changeCount();
    switch (random.nextInt(3)) {
      case 0:
        return whole.headsOfFirst(random.nextInt(count + 1));
      case 1:
        return List.of(whole.changeSummaries(0, count).get(random.nextInt(count)).hash());
      default:
        return whole.heads();
    }
  }

  static Document randomHistory(Random random) {
    List<Document> replicas = new ArrayList<>();
    replicas.add(RandomEdits.init(ACTORS[0]));
    replicas.add(replicas.get(0).fork(ACTORS[1]));
    replicas.add(replicas.get(0).fork(ACTORS[2]));
    int steps = 1 + random.nextInt(30);
    for (int i = 0; i < steps; i++) {
      Document target = replicas.get(random.nextInt(3));
      int choice = random.nextInt(6);
      if (choice == 0) {
        target.merge(replicas.get(random.nextInt(3)));
      } else if (choice == 1) {
        nestedEdit(target, random);
      } else {
        RandomEdits.edit(target, random);
      }
    }
    Document whole = replicas.get(0).fork(ActorId.fromHex("ff"));
    whole.merge(replicas.get(1));
    whole.merge(replicas.get(2));
    return whole;
  }

  /** Creates, fills, replaces or deletes the object at the root key "nested". */
  private static void nestedEdit(Document doc, Random random) {
    doc.change(
        tx -> {
          java.util.Optional<ObjId> nested = tx.objectAt(ObjId.ROOT, "nested");
          int choice = random.nextInt(4);
          if (nested.isEmpty() || choice == 0) {
            ObjId map = tx.putObject(ObjId.ROOT, "nested", ObjType.MAP);
            ObjId items = tx.putObject(map, "items", ObjType.LIST);
            tx.insert(items, 0, RandomEdits.scalar(random));
            ObjId note = tx.insertObject(items, 1, ObjType.TEXT);
            tx.splice(note, 0, 0, "note" + random.nextInt(10));
            tx.put(map, "count", new ScalarValue.Counter(random.nextInt(5)));
          } else if (choice == 1) {
            tx.delete(ObjId.ROOT, "nested");
          } else if (tx.objType(nested.get()) == ObjType.MAP) {
            ObjId map = nested.get();
            if (tx.get(map, "count").isPresent()) {
              tx.increment(map, "count", 1 + random.nextInt(3));
            }
            java.util.Optional<ObjId> items = tx.objectAt(map, "items");
            if (items.isPresent() && tx.objType(items.get()) == ObjType.LIST) {
              tx.insert(items.get(), tx.length(items.get()), RandomEdits.scalar(random));
            }
          }
        });
  }
}
