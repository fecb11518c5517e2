package dev.converge.core.internal.dag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The packed storage of the change graph against plain lists: {@link PackedLongs} against a {@code
 * List<Long>}, {@link TailStore} against a {@code List<byte[]>}, under random appends and
 * truncations (a rolled back batch takes changes back from the end). Values are drawn to hit every
 * packing width, blocks of equal values, and ranges past {@code Long.MAX_VALUE}; tails mostly
 * differ from the one before in a few bytes, as a document's do, but also change length or differ
 * everywhere. One {@link Random} seeded by jqwik makes every choice, so a failing seed replays.
 */
class ChangeColumnsPropertiesTest {

  @Property(tries = 200)
  void packedLongs_appendAndTruncate_agreeWithList(@ForAll long seed) {
    Random random = new Random(seed);
    PackedLongs packed = new PackedLongs();
    List<Long> model = new ArrayList<>();
    long value = random.nextLong();
    for (int step = 0; step < 600; step++) {
      if (random.nextInt(40) == 0 && !model.isEmpty()) {
        int newSize = random.nextInt(model.size() + 1);
        packed.truncate(newSize);
        model.subList(newSize, model.size()).clear();
      } else {
        int count = 1 + random.nextInt(100);
        int kind = random.nextInt(5);
        for (int i = 0; i < count; i++) {
          value =
              switch (kind) {
                case 0 -> value;
                case 1 -> value + random.nextInt(3);
                case 2 -> value + random.nextInt(70_000) - 35_000;
                case 3 -> value + random.nextInt();
                default -> random.nextLong();
              };
          packed.add(value);
          model.add(value);
        }
      }
      assertEquals(model.size(), packed.size());
      for (int probe = 0; probe < 5 && !model.isEmpty(); probe++) {
        int index = random.nextInt(model.size());
        assertEquals(model.get(index), packed.get(index), "index " + index);
      }
    }
    for (int index = 0; index < model.size(); index++) {
      assertEquals(model.get(index), packed.get(index), "index " + index);
    }
  }

  @Property(tries = 200)
  void tailStore_appendAndTruncate_agreesWithList(@ForAll long seed) {
    Random random = new Random(seed);
    TailStore store = new TailStore();
    List<byte[]> model = new ArrayList<>();
    byte[] tail = new byte[1 + random.nextInt(60)];
    random.nextBytes(tail);
    for (int step = 0; step < 400; step++) {
      if (random.nextInt(30) == 0 && !model.isEmpty()) {
        int newSize = random.nextInt(model.size() + 1);
        store.truncate(newSize);
        model.subList(newSize, model.size()).clear();
        if (!model.isEmpty()) {
          tail = model.get(model.size() - 1).clone();
        }
        continue;
      }
      int kind = random.nextInt(10);
      if (kind == 0) {
        tail = Arrays.copyOf(tail, random.nextInt(80));
      } else if (kind == 1) {
        random.nextBytes(tail);
      } else {
        for (int changed = random.nextInt(6); changed > 0 && tail.length > 0; changed--) {
          tail[random.nextInt(tail.length)] ^= (byte) (1 + random.nextInt(255));
        }
      }
      byte[] padded = new byte[tail.length + 7];
      System.arraycopy(tail, 0, padded, 3, tail.length);
      store.add(padded, 3, tail.length);
      model.add(tail.clone());
      assertEquals(model.size(), store.size());
      int index = random.nextInt(model.size());
      assertArrayEquals(model.get(index), store.get(index), "entry " + index);
    }
    for (int index = 0; index < model.size(); index++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.writeTo(index, out);
      assertArrayEquals(model.get(index), out.toByteArray(), "entry " + index);
    }
  }

  @Test
  void tailStore_typingLikeTails_storedInAThirdOfTheirBytes() {
    TailStore store = new TailStore();
    byte[] tail = new byte[54];
    long raw = 0;
    for (int change = 0; change < 10_000; change++) {
      tail[2] = (byte) change;
      tail[4] = (byte) (change >>> 3);
      tail[40] = (byte) (change * 7);
      tail[47] = (byte) (change * 31);
      store.add(tail, 0, tail.length);
      raw += tail.length;
    }
    assertTrue(store.storedBytes() * 3 < raw, store.storedBytes() + " of " + raw);
    assertEquals(54, store.get(9_999).length);
  }
}
