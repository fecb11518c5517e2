package dev.converge.repo;

import dev.converge.core.ObjId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link RepoPurgeCrashIT}: opens the repository in {@code args[0]}, then over
 * and over creates a document holding the canary {@code zqcanary-N-x} (N counting from {@code
 * args[2]}) and some filler, prints {@code CREATED <documentId> <canary>} once that is durable,
 * purges it and prints {@code PURGED <documentId>}. It runs until it is killed.
 */
public final class CrashPurger {
  private CrashPurger() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    long first = Long.parseLong(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(seed)));
    for (long n = first; ; n++) {
      String canary = canary(n);
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "secret", canary));
      for (int i = 0; i < 20; i++) {
        int filler = i;
        handle.change(tx -> tx.put(ObjId.ROOT, "filler", "line " + filler + " of " + canary));
      }
      handle.whenDurable().join();
      out.println("CREATED " + handle.id() + " " + canary);
      out.flush();
      repo.purge(handle.id());
      out.println("PURGED " + handle.id());
      out.flush();
    }
  }

  static String canary(long n) {
    return "zqcanary-" + n + "-x";
  }
}
