package dev.converge.repo;

import dev.converge.core.ObjId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child process of {@link RepoCompactCrashIT}: opens the repository in {@code args[0]}, then
 * over and over creates a document whose history holds the canary {@code zqcompact-N-x} (N counting
 * from {@code args[2]}) but whose value holds only {@code "value":"v-N"}, prints {@code CREATED
 * <documentId> <N>} once that is durable, compacts it and prints {@code COMPACTED <documentId>
 * <successorId>}. It runs until it is killed.
 */
public final class CrashCompactor {
  private CrashCompactor() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    long first = Long.parseLong(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Repo repo = Repo.open(dir, RepoOptions.defaults().withRandom(new SplittableRandom(seed)));
    for (long n = first; ; n++) {
      long number = n;
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "secret", canary(number)));
      for (int i = 0; i < 20; i++) {
        int filler = i;
        handle.change(tx -> tx.put(ObjId.ROOT, "filler", "line " + filler));
      }
      handle.change(
          tx -> {
            tx.delete(ObjId.ROOT, "secret");
            tx.put(ObjId.ROOT, "value", value(number));
          });
      handle.whenDurable().join();
      out.println("CREATED " + handle.id() + " " + n);
      out.flush();
      DocHandle successor = repo.compact(handle.id());
      out.println("COMPACTED " + handle.id() + " " + successor.id());
      out.flush();
    }
  }

  static String canary(long n) {
    return "zqcompact-" + n + "-x";
  }

  static String value(long n) {
    return "v-" + n;
  }
}
