package dev.converge.core.interop;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small random edits of Automerge files, each drawn from one seeded {@link SplittableRandom} so a
 * seed replays: flip, set or insert bytes (often LEB128-shaped values that loaders care about),
 * delete or duplicate a span, truncate, or splice in a span of another file.
 */
final class FileMutator {
  private static final int[] INTERESTING = {
    0x00, 0x01, 0x02, 0x03, 0x07, 0x08, 0x0f, 0x10, 0x3f, 0x40, 0x41, 0x7e, 0x7f, 0x80, 0x81, 0xfe,
    0xff
  };

  private FileMutator() {}

  /** One to four edits of {@code file}; {@code others} feeds the splices. */
  static byte[] mutate(byte[] file, List<byte[]> others, SplittableRandom random) {
    byte[] out = file;
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      out = edit(out, others, random);
    }
    return out;
  }

  private static byte[] edit(byte[] file, List<byte[]> others, SplittableRandom random) {
    if (file.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(file.length);
    byte[] out;
    switch (random.nextInt(9)) {
      case 0 -> {
        out = file.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
      }
      case 1, 2 -> {
        out = file.clone();
        out[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
      }
      case 3 -> {
        out = file.clone();
        out[at] = (byte) (out[at] + (random.nextBoolean() ? 1 : -1));
      }
      case 4 -> out = insert(file, at, leb(random));
      case 5 -> {
        int length = 1 + random.nextInt(Math.min(8, file.length - at));
        out = splice(file, at, length, new byte[0]);
      }
      case 6 -> {
        int length = 1 + random.nextInt(Math.min(16, file.length - at));
        out = insert(file, at, Arrays.copyOfRange(file, at, at + length));
      }
      case 7 -> out = Arrays.copyOf(file, at + 1 + random.nextInt(file.length - at));
      default -> {
        byte[] other = others.get(random.nextInt(others.size()));
        if (other.length == 0) {
          return file;
        }
        int from = random.nextInt(other.length);
        int length = 1 + random.nextInt(Math.min(32, other.length - from));
        int replaced = random.nextInt(Math.min(32, file.length - at) + 1);
        out = splice(file, at, replaced, Arrays.copyOfRange(other, from, from + length));
      }
    }
    return out;
  }

  /** A short LEB128 number, signed or not, around the edges loaders test. */
  private static byte[] leb(SplittableRandom random) {
    long value =
        switch (random.nextInt(5)) {
          case 0 -> random.nextInt(4);
          case 1 -> random.nextInt(128) - 64;
          case 2 -> 1L << random.nextInt(64);
          case 3 -> -(1L << random.nextInt(63));
          default -> random.nextLong();
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (random.nextBoolean()) {
      Leb.writeUnsigned(out, value);
    } else {
      Leb.writeSigned(out, value);
    }
    return out.toByteArray();
  }

  private static byte[] insert(byte[] file, int at, byte[] inserted) {
    return splice(file, at, 0, inserted);
  }

  private static byte[] splice(byte[] file, int at, int removed, byte[] inserted) {
    byte[] out = new byte[file.length - removed + inserted.length];
    System.arraycopy(file, 0, out, 0, at);
    System.arraycopy(inserted, 0, out, at, inserted.length);
    System.arraycopy(file, at + removed, out, at + inserted.length, file.length - at - removed);
    return out;
  }
}
