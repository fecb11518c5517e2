package dev.converge.repo;

import dev.converge.core.Change;
import dev.converge.core.ObjId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child process of {@link RepoCrashIT}: opens the repository in {@code args[0]}, then four
 * threads each append one change at a time to their own document, wait for it to be durable, and
 * print {@code ACK <documentId> <hash>} — only after the commit. It runs until it is killed.
 */
public final class CrashAppender {
  private CrashAppender() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(seed)));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      DocHandle handle = repo.create();
      int writer = t;
      Thread thread =
          new Thread(
              () -> {
                for (long n = 0; ; n++) {
                  long value = n;
                  Change change =
                      handle
                          .change(
                              tx -> {
                                tx.put(ObjId.ROOT, "writer", writer);
                                tx.put(ObjId.ROOT, "n", value);
                                tx.put(ObjId.ROOT, "note", "entry " + value);
                              })
                          .orElseThrow();
                  handle.whenDurable().join();
                  synchronized (out) {
                    out.println("ACK " + handle.id() + " " + change.hash());
                    out.flush();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }
}
