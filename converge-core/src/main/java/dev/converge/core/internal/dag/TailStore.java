package dev.converge.core.internal.dag;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The tails of a document's change chunks (what follows the deps and the actor: seq, start op,
 * time, message, columns), each stored as its difference from the one before.
 *
 * <p>Why: a document keeps one chunk per change for its whole life, and a user typing makes one
 * change per keystroke. Consecutive tails of such changes have the same length and differ in a few
 * bytes (the seq, the start op, the time, the character), so an entry of the same length as the one
 * before is stored as the XOR of the two, as runs: a count of equal bytes, then a count of
 * differing bytes and those bytes XORed. automerge-paper's 54-byte tails take about 11 bytes each
 * this way, where DEFLATE would cost the writer several times as much CPU. An entry of another
 * length, every {@value #KEYFRAME}th entry, and any entry the runs would not shrink, are stored as
 * they are; so reading one replays at most {@value #KEYFRAME} - 1 differences.
 *
 * <p>Not thread-safe.
 */
final class TailStore {
  static final int KEYFRAME = 64;
  private static final byte LITERAL = 0;
  private static final byte XOR = 1;

  private final PagedBytes data = new PagedBytes();
  private final PackedLongs starts = new PackedLongs();
  // The last entry as it is, the base of the next one's difference.
  private byte[] last = new byte[64];
  private int lastLength;
  // The entry being encoded. A plain array: ByteArrayOutputStream's writes are synchronized, and
  // taking its lock per byte cost more than the comparison.
  private byte[] scratch = new byte[64];
  private int scratchSize;
  private byte[] decoded = new byte[64];

  int size() {
    return starts.size();
  }

  /** The bytes stored, for tests: the encoded entries. */
  long storedBytes() {
    return data.size();
  }

  /** Appends {@code length} bytes of {@code tail} from {@code from}. */
  void add(byte[] tail, int from, int length) {
    int index = size();
    starts.add(data.size());
    // An entry, literal or not, takes at most its length plus a kind byte and a length.
    if (scratch.length < length + 11) {
      scratch = new byte[Math.max(length + 11, scratch.length * 2)];
    }
    scratchSize = 0;
    boolean delta = index % KEYFRAME != 0 && length == lastLength && encodeXor(tail, from, length);
    if (!delta) {
      scratchSize = 0;
      scratch[scratchSize++] = LITERAL;
      writeUleb(length);
      System.arraycopy(tail, from, scratch, scratchSize, length);
      scratchSize += length;
    }
    data.append(scratch, 0, scratchSize);
    if (last.length < length) {
      last = new byte[Math.max(length, last.length * 2)];
    }
    System.arraycopy(tail, from, last, 0, length);
    lastLength = length;
  }

  /**
   * Writes the difference of {@code tail} from the last entry to {@link #scratch}; false if it
   * would take as many bytes as the tail itself.
   */
  private boolean encodeXor(byte[] tail, int from, int length) {
    scratch[scratchSize++] = XOR;
    int position = 0;
    while (position < length) {
      // Arrays.mismatch compares many bytes a step: most of a tail equals the one before.
      int equal = Arrays.mismatch(tail, from + position, from + length, last, position, length);
      if (equal < 0) {
        equal = length - position;
      }
      position += equal;
      int differing = 0;
      // A differing run goes on over a single equal byte: a new run would cost two bytes.
      while (position + differing < length
          && (tail[from + position + differing] != last[position + differing]
              || (position + differing + 1 < length
                  && tail[from + position + differing + 1] != last[position + differing + 1]))) {
        differing++;
      }
      // Give up once the runs would not be shorter than the tail: before the buffer could fill.
      if (scratchSize + 10 + differing >= length + 2) {
        return false;
      }
      writeUleb(equal);
      writeUleb(differing);
      for (int i = 0; i < differing; i++) {
        scratch[scratchSize++] = (byte) (tail[from + position + i] ^ last[position + i]);
      }
      position += differing;
    }
    return true;
  }

  /** Writes entry {@code index} as it was added. */
  void writeTo(int index, ByteArrayOutputStream out) {
    int length = decode(index);
    out.write(decoded, 0, length);
  }

  /** Entry {@code index} as it was added. */
  byte[] get(int index) {
    int length = decode(index); // may grow the buffer: read the field after
    return Arrays.copyOf(decoded, length);
  }

  /** Decodes entry {@code index} into {@link #decoded} and returns its length. */
  private int decode(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException(index + " of " + size());
    }
    int literal = index;
    while (data.get(starts.get(literal)) != LITERAL) {
      literal--;
    }
    long[] position = {starts.get(literal) + 1};
    int length = (int) readUleb(position);
    if (decoded.length < length) {
      decoded = new byte[Math.max(length, decoded.length * 2)];
    }
    for (int i = 0; i < length; i++) {
      decoded[i] = data.get(position[0]++);
    }
    for (int entry = literal + 1; entry <= index; entry++) {
      position[0] = starts.get(entry) + 1;
      int at = 0;
      while (at < length) {
        at += (int) readUleb(position);
        int differing = (int) readUleb(position);
        for (int i = 0; i < differing; i++) {
          decoded[at++] ^= data.get(position[0]++);
        }
      }
    }
    return length;
  }

  /** Forgets every entry from {@code newSize} on. */
  void truncate(int newSize) {
    if (newSize == size()) {
      return;
    }
    long end = starts.get(newSize);
    starts.truncate(newSize);
    data.truncate(end);
    if (newSize == 0) {
      lastLength = 0;
      return;
    }
    lastLength = decode(newSize - 1);
    if (last.length < lastLength) {
      last = new byte[decoded.length];
    }
    System.arraycopy(decoded, 0, last, 0, lastLength);
  }

  private long readUleb(long[] position) {
    long result = 0;
    int shift = 0;
    while (true) {
      byte b = data.get(position[0]++);
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  private void writeUleb(int value) {
    int rest = value;
    while ((rest & ~0x7F) != 0) {
      scratch[scratchSize++] = (byte) ((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    scratch[scratchSize++] = (byte) rest;
  }
}
