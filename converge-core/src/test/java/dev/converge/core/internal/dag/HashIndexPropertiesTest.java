package dev.converge.core.internal.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.ChangeHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link HashIndex} against a list of hashes, under appends, takebacks of the last change (a rolled
 * back batch), a bulk {@code addAll} and lookups of present and absent hashes, across the pending
 * run, its placement and the table's growth. Hashes are random, some sharing their first bytes so
 * that probe runs collide. One {@link Random} seeded by jqwik makes every choice, so a failing seed
 * replays.
 */
class HashIndexPropertiesTest {

  @Property(tries = 100)
  void hashIndex_addRemoveFind_agreesWithList(@ForAll long seed) {
    Random random = new Random(seed);
    PagedBytes hashes = new PagedBytes();
    List<ChangeHash> model = new ArrayList<>();
    HashIndex index = new HashIndex();
    if (random.nextBoolean()) {
      int bulk = random.nextInt(300);
      for (int i = 0; i < bulk; i++) {
        append(hashes, model, randomHash(random, model));
      }
      index.addAll(bulk, hashes);
    }
    for (int step = 0; step < 1_500; step++) {
      int kind = random.nextInt(20);
      if (kind == 0 && !model.isEmpty()) {
        int last = model.size() - 1;
        index.remove(last, hashes);
        hashes.truncate(last * 32L);
        model.remove(last);
      } else if (kind < 4) {
        checkAll(index, hashes, model, random);
      } else {
        append(hashes, model, randomHash(random, model));
        index.add(model.size() - 1, hashes);
      }
    }
    checkAll(index, hashes, model, random);
  }

  @Test
  void hashIndex_manyChanges_everyOneFound() {
    Random random = new Random(14);
    PagedBytes hashes = new PagedBytes();
    List<ChangeHash> model = new ArrayList<>();
    HashIndex index = new HashIndex();
    for (int i = 0; i < 20_000; i++) {
      append(hashes, model, randomHash(random, model));
      index.add(i, hashes);
    }
    for (int i = 0; i < model.size(); i++) {
      assertEquals(i, index.find(model.get(i), hashes));
    }
  }

  private static void append(PagedBytes hashes, List<ChangeHash> model, ChangeHash hash) {
    byte[] bytes = new byte[ChangeHash.LENGTH];
    hash.copyTo(bytes, 0);
    hashes.append(bytes, 0, bytes.length);
    model.add(hash);
  }

  private static void checkAll(
      HashIndex index, PagedBytes hashes, List<ChangeHash> model, Random random) {
    for (int i = 0; i < model.size(); i++) {
      assertEquals(i, index.find(model.get(i), hashes), "change " + i + " of " + model.size());
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(-1, index.find(randomHash(random, model), hashes));
    }
  }

  /** A fresh hash; a third of them share their first four bytes with a hash already there. */
  private static ChangeHash randomHash(Random random, List<ChangeHash> model) {
    while (true) {
      byte[] bytes = new byte[ChangeHash.LENGTH];
      random.nextBytes(bytes);
      if (!model.isEmpty() && random.nextInt(3) == 0) {
        model.get(random.nextInt(model.size())).copyTo(bytes, 0);
        bytes[31] ^= (byte) (1 + random.nextInt(255));
        bytes[20] = (byte) random.nextInt();
      }
      ChangeHash hash = ChangeHash.of(bytes);
      if (!model.contains(hash)) {
        return hash;
      }
    }
  }
}
