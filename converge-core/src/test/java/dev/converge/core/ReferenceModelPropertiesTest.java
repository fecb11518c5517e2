package dev.converge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * With one writer there is nothing to merge, so the CRDT must behave exactly like a plain list, map
 * and string. Random sequential edits go to both the document and the plain model, with a new
 * transaction every few edits, and after each transaction they must agree. Choices come from one
 * Random seeded by jqwik, so a failing seed replays.
 */
class ReferenceModelPropertiesTest {

  @Property(tries = 1000)
  void sequentialEdits_agreeWithPlainModel(@ForAll long seed) {
    Random random = new Random(seed);
    Document doc = RandomEdits.init(ActorId.fromHex("0a"));
    ObjId list = RandomEdits.obj(doc, "list");
    ObjId map = RandomEdits.obj(doc, "map");
    ObjId text = RandomEdits.obj(doc, "text");
    List<ScalarValue> modelList = new ArrayList<>();
    TreeMap<String, ScalarValue> modelMap = new TreeMap<>(ReferenceModelPropertiesTest::utf8Order);
    StringBuilder modelText = new StringBuilder();
    for (int round = 0; round < 10; round++) {
      doc.change(
          tx -> {
            for (int edit = 0; edit < 1 + random.nextInt(4); edit++) {
              int choice = random.nextInt(6);
              if (choice == 0 || modelList.isEmpty()) {
                int index = random.nextInt(modelList.size() + 1);
                ScalarValue value = RandomEdits.scalar(random);
                tx.insert(list, index, value);
                modelList.add(index, value);
              } else if (choice == 1) {
                int index = random.nextInt(modelList.size());
                tx.delete(list, index);
                modelList.remove(index);
              } else if (choice == 2) {
                int index = random.nextInt(modelList.size());
                ScalarValue value = RandomEdits.scalar(random);
                tx.put(list, index, value);
                modelList.set(index, value);
              } else if (choice == 3) {
                String key = RandomEdits.KEYS[random.nextInt(RandomEdits.KEYS.length)];
                if (random.nextBoolean()) {
                  ScalarValue value = RandomEdits.scalar(random);
                  tx.put(map, key, value);
                  modelMap.put(key, value);
                } else {
                  tx.delete(map, key);
                  modelMap.remove(key);
                }
              } else {
                int index =
                    RandomEdits.boundary(
                        modelText.toString(), random.nextInt(modelText.length() + 1));
                int end =
                    RandomEdits.boundary(
                        modelText.toString(),
                        index + random.nextInt(modelText.length() - index + 1));
                String insert = List.of("", "q", "ü", "🎉x", "hello").get(random.nextInt(5));
                tx.splice(text, index, end - index, insert);
                modelText.replace(index, end, insert);
              }
            }
          });
      List<ScalarValue> actualList = new ArrayList<>();
      for (Value value : doc.values(list)) {
        actualList.add(((Value.Scalar) value).value());
      }
      assertEquals(modelList, actualList);
      assertEquals(new ArrayList<>(modelMap.keySet()), doc.keys(map));
      for (String key : modelMap.keySet()) {
        assertEquals(Value.of(modelMap.get(key)), doc.get(map, key).orElseThrow());
      }
      assertEquals(modelText.toString(), doc.text(text));
      assertEquals(modelText.length(), doc.length(text));
    }
  }

  private static int utf8Order(String a, String b) {
    return java.util.Arrays.compareUnsigned(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
