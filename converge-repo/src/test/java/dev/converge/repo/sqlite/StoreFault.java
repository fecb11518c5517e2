package dev.converge.repo.sqlite;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * One fault injected into a store's files between runs: a bit flipped, the file cut short, or a
 * page's worth of bytes zeroed, in the main file or in the WAL, at an offset drawn from a seeded
 * PRNG. In the WAL a zeroed page is the page image of one frame (after its 24-byte frame header),
 * as a lost or never-written sector would leave it.
 *
 * @param kind what is done
 * @param offset where: the byte flipped, the new length, or the first byte zeroed
 * @param bit which bit of the byte is flipped (0 to 7); 0 for the other kinds
 */
record StoreFault(Kind kind, long offset, int bit) {
  static final int PAGE_BYTES = 4096;
  private static final int WAL_HEADER_BYTES = 32;
  private static final int WAL_FRAME_HEADER_BYTES = 24;

  enum Kind {
    MAIN_BIT_FLIP,
    WAL_BIT_FLIP,
    MAIN_TRUNCATION,
    WAL_TRUNCATION,
    MAIN_ZEROED_PAGE,
    WAL_ZEROED_PAGE;

    boolean inWal() {
      return this == WAL_BIT_FLIP || this == WAL_TRUNCATION || this == WAL_ZEROED_PAGE;
    }
  }

  /** A fault of a random kind at a random place of the files in {@code directory}. */
  static StoreFault draw(SplittableRandom random, Path directory) throws IOException {
    Kind[] kinds = Kind.values();
    Kind kind = kinds[random.nextInt(kinds.length)];
    long size = Files.size(file(directory, kind));
    if (size == 0) {
      return new StoreFault(kind, 0, 0);
    }
    switch (kind) {
      case MAIN_BIT_FLIP, WAL_BIT_FLIP:
        return new StoreFault(kind, random.nextLong(size), random.nextInt(8));
      case MAIN_TRUNCATION, WAL_TRUNCATION:
        return new StoreFault(kind, random.nextLong(size), 0);
      case MAIN_ZEROED_PAGE:
        return new StoreFault(kind, random.nextLong(size / PAGE_BYTES) * PAGE_BYTES, 0);
      case WAL_ZEROED_PAGE:
        {
          long frames = (size - WAL_HEADER_BYTES) / (WAL_FRAME_HEADER_BYTES + PAGE_BYTES);
          long frame = frames == 0 ? 0 : random.nextLong(frames);
          return new StoreFault(
              kind,
              WAL_HEADER_BYTES
                  + frame * (WAL_FRAME_HEADER_BYTES + PAGE_BYTES)
                  + WAL_FRAME_HEADER_BYTES,
              0);
        }
      default:
        throw new AssertionError(kind);
    }
  }

  private static Path file(Path directory, Kind kind) {
    return directory.resolve(SqliteStorage.FILE_NAME + (kind.inWal() ? "-wal" : ""));
  }

  /** Applies the fault to the files in {@code directory}. */
  void applyTo(Path directory) throws IOException {
    Path file = file(directory, kind);
    try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "rw")) {
      long size = access.length();
      switch (kind) {
        case MAIN_BIT_FLIP, WAL_BIT_FLIP:
          if (offset < size) {
            access.seek(offset);
            int value = access.read();
            access.seek(offset);
            access.write(value ^ (1 << bit));
          }
          break;
        case MAIN_TRUNCATION, WAL_TRUNCATION:
          access.setLength(Math.min(offset, size));
          break;
        case MAIN_ZEROED_PAGE, WAL_ZEROED_PAGE:
          if (offset < size) {
            access.seek(offset);
            access.write(new byte[(int) Math.min(PAGE_BYTES, size - offset)]);
          }
          break;
      }
    }
  }

  @Override
  public String toString() {
    return kind
        + " at "
        + offset
        + (kind == Kind.MAIN_BIT_FLIP || kind == Kind.WAL_BIT_FLIP ? " bit " + bit : "");
  }
}
