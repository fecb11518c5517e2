package dev.converge.core.internal.dag;

import dev.converge.core.ChangeHash;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only byte store in fixed 64 KiB pages, addressed by a long offset. A growing array
 * would hold up to half its size as slack after its last doubling; pages waste at most one page,
 * which matters for logs that live as long as their document. Not thread-safe.
 */
final class PagedBytes {
  static final int PAGE_BITS = 16;
  static final int PAGE_SIZE = 1 << PAGE_BITS;

  private final List<byte[]> pages = new ArrayList<>();
  private long size;

  long size() {
    return size;
  }

  /** Appends {@code length} bytes of {@code source} and returns the offset of the first. */
  long append(byte[] source, int offset, int length) {
    long start = size;
    int copied = 0;
    while (copied < length) {
      int page = (int) (size >>> PAGE_BITS);
      int inPage = (int) (size & (PAGE_SIZE - 1));
      if (page == pages.size()) {
        pages.add(new byte[PAGE_SIZE]);
      }
      int chunk = Math.min(length - copied, PAGE_SIZE - inPage);
      System.arraycopy(source, offset + copied, pages.get(page), inPage, chunk);
      copied += chunk;
      size += chunk;
    }
    return start;
  }

  byte get(long offset) {
    return pages.get((int) (offset >>> PAGE_BITS))[(int) (offset & (PAGE_SIZE - 1))];
  }

  /** Whether the 32 bytes at {@code offset} are {@code hash}; a page holds whole hashes. */
  boolean hashEquals(long offset, ChangeHash hash) {
    return hash.matches(pages.get((int) (offset >>> PAGE_BITS)), (int) (offset & (PAGE_SIZE - 1)));
  }

  /** The 4 bytes at {@code offset}, little-endian; a page holds whole hashes, so whole prefixes. */
  int intAt(long offset) {
    byte[] page = pages.get((int) (offset >>> PAGE_BITS));
    int at = (int) (offset & (PAGE_SIZE - 1));
    return (page[at] & 0xFF)
        | (page[at + 1] & 0xFF) << 8
        | (page[at + 2] & 0xFF) << 16
        | (page[at + 3] & 0xFF) << 24;
  }

  /** The 32 bytes at {@code offset} as a change hash; a page holds whole hashes. */
  ChangeHash hashAt(long offset) {
    return ChangeHash.of(pages.get((int) (offset >>> PAGE_BITS)), (int) (offset & (PAGE_SIZE - 1)));
  }

  /** Writes {@code length} bytes from {@code offset} to {@code out}. */
  void writeTo(ByteArrayOutputStream out, long offset, int length) {
    long at = offset;
    int left = length;
    while (left > 0) {
      int inPage = (int) (at & (PAGE_SIZE - 1));
      int chunk = Math.min(left, PAGE_SIZE - inPage);
      out.write(pages.get((int) (at >>> PAGE_BITS)), inPage, chunk);
      at += chunk;
      left -= chunk;
    }
  }

  /** Forgets everything from {@code newSize} on (taking back appends). */
  void truncate(long newSize) {
    size = newSize;
    int keepPages = (int) ((newSize + PAGE_SIZE - 1) >>> PAGE_BITS);
    while (pages.size() > keepPages) {
      pages.remove(pages.size() - 1);
    }
  }
}
