package dev.converge.repo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The child-process side of the kill -9 tests: runs a crash program ({@link CrashAppender}, {@link
 * CrashPurger}, {@link CrashCompactor}) on a repository in a JVM of its own, hands each line it
 * prints to the test, and kills it with SIGKILL a given delay after its first progress line. The
 * child's stderr goes to {@code child.err} beside the repository, quoted when it makes no progress.
 */
final class CrashChild {
  private static final long PROGRESS_TIMEOUT_SECONDS = 60;

  private CrashChild() {}

  /**
   * Runs {@code main} with arguments {@code repoDir} and {@code args}, passes every line it prints
   * to {@code onLine} (which returns whether the line shows progress), waits for the first
   * progress, lets the child run {@code delayMillis} more, then kills it and waits until it is gone
   * and its output is read.
   *
   * @param context names the run in the failure message (seed and kill number)
   */
  static void runAndKill(
      Class<?> main,
      String heap,
      Path repoDir,
      List<String> args,
      int delayMillis,
      Predicate<String> onLine,
      String context)
      throws IOException, InterruptedException {
    Path errors = repoDir.resolveSibling("child.err");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.sqlite.tmpdir=" + repoDir.getParent());
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.add(repoDir.toString());
    command.addAll(args);
    Process child = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    CountDownLatch progress = new CountDownLatch(1);
    Thread reader = new Thread(() -> readLines(child, onLine, progress));
    reader.start();
    assertTrue(
        progress.await(PROGRESS_TIMEOUT_SECONDS, TimeUnit.SECONDS),
        () -> context + ": the child made no progress; its stderr: " + read(errors));
    Thread.sleep(delayMillis);
    ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly();
    child.waitFor();
    reader.join();
  }

  /**
   * One round of a child that creates documents and then acts on each ({@link CrashPurger}, {@link
   * CrashCompactor}), run and killed as {@link #runAndKill} does with a 128 MiB heap: the child
   * gets {@code seed} and the number of its first document; each {@code CREATED <id> <detail>} line
   * goes to {@code onCreated}, and each {@code <doneWord> <id> [<detail>]} line, the progress, to
   * {@code onDone} (with an empty detail when the line has none).
   */
  static void runCreateAndAct(
      Class<?> main,
      Path repoDir,
      long seed,
      long first,
      int delayMillis,
      String doneWord,
      BiConsumer<String, String> onCreated,
      BiConsumer<String, String> onDone,
      String context)
      throws IOException, InterruptedException {
    runAndKill(
        main,
        "128m",
        repoDir,
        List.of(Long.toString(seed), Long.toString(first)),
        delayMillis,
        line -> {
          String[] words = line.split(" ", -1);
          String detail = words.length > 2 ? words[2] : "";
          if (words[0].equals("CREATED")) {
            onCreated.accept(words[1], detail);
          } else if (words[0].equals(doneWord)) {
            onDone.accept(words[1], detail);
            return true;
          }
          return false;
        },
        context);
  }

  private static void readLines(Process child, Predicate<String> onLine, CountDownLatch progress) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (onLine.test(line)) {
          progress.countDown();
        }
      }
    } catch (IOException e) {
      // The pipe breaks when the child is killed; what was read before counts.
    }
  }

  private static String read(Path errors) {
    try {
      return Files.readString(errors);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
