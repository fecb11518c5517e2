package dev.converge.repo.sqlite;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.StorageException;
import dev.converge.repo.spi.StoreInUseException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a store's directory, held from open to close: an OS file lock on {@value
 * #FILE_NAME} in the directory (fcntl on Linux, so it goes with the process: a process that dies,
 * even by SIGKILL, releases it, and no stale lock file ever needs removing). Two stores in one
 * process are refused too, through the JVM's own record of the locks it holds.
 *
 * <p>Why: SQLite alone would let a second process write to the file, but the first keeps documents
 * in memory and would neither see those changes nor offer them to its peers until a restart.
 *
 * <p>Thread-safety: {@link #close} is called by one thread at a time.
 */
final class DirectoryLock implements AutoCloseable {
  /** The lock file a store keeps in its directory. */
  static final String FILE_NAME = "converge.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code directory}, which exists.
   *
   * @throws StoreInUseException if another process, or another store of this process, holds it
   * @throws StorageException of kind INVALID_ARGUMENT if the lock file cannot be created
   */
  static DirectoryLock acquire(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StorageException(
          ConvergeException.Kind.INVALID_ARGUMENT, "cannot create lock file " + file, e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw new StorageException(ConvergeException.Kind.INVALID_ARGUMENT, "cannot lock " + file, e);
    }
    if (lock == null) {
      StoreInUseException inUse =
          new StoreInUseException(
              "repository "
                  + directory
                  + " is in use by another process (such as a running 'converge serve' on it):"
                  + " stop it first, or send the change through it; "
                  + FILE_NAME
                  + " is locked");
      closeQuietly(channel, inUse);
      throw inUse;
    }
    return new DirectoryLock(channel, lock);
  }

  private static void closeQuietly(FileChannel channel, Exception primary) {
    try {
      channel.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }

  /** Releases the lock; the file stays, unlocked, for the next open. Idempotent. */
  @Override
  public void close() {
    if (!channel.isOpen()) {
      return;
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new StorageException(
          ConvergeException.Kind.UNSUPPORTED, "cannot release lock " + FILE_NAME, e);
    }
  }
}
