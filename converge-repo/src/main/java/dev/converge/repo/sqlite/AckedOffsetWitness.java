package dev.converge.repo.sqlite;

import dev.converge.repo.spi.CorruptStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * A witness outside the database of how far the log has been acknowledged: a small file beside the
 * store ({@value #FILE_NAME}) holding the highest log offset known to be committed. A database that
 * went backwards as a whole (a truncated WAL, a file restored from an older copy) keeps its own
 * bookkeeping consistent, so only something outside it can tell; this is that something.
 *
 * <p>The file is written only after the commits it counts returned (at most once a second while
 * writing, and at close), and replaced atomically, so it can lag the database but never lead it: a
 * database behind it lost acknowledged changes. It is not fsynced: after a power cut it may lag
 * further, which weakens the check and never makes it fire wrongly. A copy of the whole directory
 * restored together defeats it; peers are the witness for that, and what repairs such a store.
 */
final class AckedOffsetWitness {
  static final String FILE_NAME = "converge.sqlite-acked";

  private final Path file;

  AckedOffsetWitness(Path directory) {
    this.file = directory.resolve(FILE_NAME);
  }

  /**
   * The offset recorded, empty if there is no witness yet.
   *
   * @throws CorruptStoreException if the witness is not a number
   */
  OptionalLong read() {
    if (!Files.isRegularFile(file)) {
      return OptionalLong.empty();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CorruptStoreException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return OptionalLong.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new CorruptStoreException(
          file
              + " should hold a log offset, found '"
              + text.substring(0, Math.min(40, text.length()))
              + "'",
          e);
    }
  }

  /** Records {@code offset}; a failure to write only weakens the check, so it is returned. */
  boolean write(long offset) {
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.writeString(temporary, Long.toString(offset), StandardCharsets.UTF_8);
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
