package dev.converge.net;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CorruptDataException;
import dev.converge.core.Document;
import dev.converge.core.LoadOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The changes a sync message carries, split from its concatenated chunks. */
final class IncomingChanges {
  private static final int HEADER_BYTES = 9; // magic (4), checksum (4), type (1)
  private static final int TYPE_DOCUMENT = 0;
  private static final int TYPE_CHANGE = 1;
  private static final int TYPE_COMPRESSED_CHANGE = 2;

  private IncomingChanges() {}

  /**
   * Every change in {@code joined}: document chunks are loaded whole, change chunks decoded one by
   * one.
   *
   * @throws CorruptDataException if a chunk is malformed
   */
  static List<Change> parse(byte[] joined, LoadOptions options) {
    List<Change> changes = new ArrayList<>();
    int offset = 0;
    while (offset < joined.length) {
      if (joined.length - offset < HEADER_BYTES + 1) {
        throw new CorruptDataException(
            "chunk at byte " + offset + " is truncated: " + (joined.length - offset) + " bytes");
      }
      int type = joined[offset + 8] & 0xff;
      int position = offset + HEADER_BYTES;
      long length = 0;
      int shift = 0;
      while (true) {
        if (position >= joined.length || shift > 28) {
          throw new CorruptDataException("chunk at byte " + offset + " has a bad length");
        }
        int b = joined[position++] & 0xff;
        length |= (long) (b & 0x7f) << shift;
        shift += 7;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      long end = position + length;
      if (end > joined.length) {
        throw new CorruptDataException(
            "chunk at byte " + offset + " claims " + length + " bytes, beyond the message");
      }
      byte[] chunk = Arrays.copyOfRange(joined, offset, (int) end);
      if (type == TYPE_DOCUMENT) {
        changes.addAll(Document.load(chunk, options).changes());
      } else if (type == TYPE_CHANGE || type == TYPE_COMPRESSED_CHANGE) {
        changes.add(Change.fromBytes(chunk));
      } else {
        throw new CorruptDataException("chunk at byte " + offset + " has unknown type " + type);
      }
      if (changes.size() > options.maxOps()) {
        throw new CorruptDataException("message holds more than " + options.maxOps() + " changes");
      }
      offset = (int) end;
    }
    return changes;
  }

  /**
   * The changes of {@code incoming} that {@code doc} lacks and whose dependencies it has or that
   * come earlier in the result, in causal order. The others are left to the document's queue.
   */
  static List<Change> ready(Document doc, List<Change> incoming) {
    List<Change> pending = new ArrayList<>(incoming);
    List<Change> ready = new ArrayList<>();
    Set<ChangeHash> taken = new HashSet<>();
    boolean progress = true;
    while (progress && !pending.isEmpty()) {
      progress = false;
      for (Iterator<Change> it = pending.iterator(); it.hasNext(); ) {
        Change change = it.next();
        if (taken.contains(change.hash()) || doc.hasChange(change.hash())) {
          it.remove();
          continue;
        }
        boolean depsIn = true;
        for (ChangeHash dep : change.deps()) {
          if (!taken.contains(dep) && !doc.hasChange(dep)) {
            depsIn = false;
            break;
          }
        }
        if (depsIn) {
          ready.add(change);
          taken.add(change.hash());
          it.remove();
          progress = true;
        }
      }
    }
    return ready;
  }
}
