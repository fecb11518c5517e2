package dev.converge.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.internal.opset.OpSet;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shows that the differential check against the proven model ({@link
 * ModelDifferentialPropertiesTest}) catches a wrong list order: with the engine's RGA rule broken
 * in three ways, {@link DifferentialCheck} reports a mismatch within the first {@link #SEEDS}
 * seeds.
 *
 * <p>How: the test reads the engine's own source of {@link OpSet}, replaces the comparison in the
 * loop that skips past greater elements when an element is inserted, compiles that one file with
 * the JDK's compiler against the engine's compiled classes into a temporary directory, and loads
 * converge-core (main and test classes) in a class loader of its own that takes {@code OpSet} from
 * the mutant. Production code has no switch or seam for this: the mutants exist only in the
 * temporary directory. The unchanged source, compiled and loaded the same way, must pass the same
 * seeds, so a failure comes from the mutation and not from the loading. A change to the loop's text
 * makes this test fail with a message naming the line it looks for.
 */
class ListOrderMutantTest {
  static final int SEEDS = 50;

  /** The RGA rule in {@code OpSet.insert}: skip the next element while its op ID is greater. */
  static final String SKIP_IF_GREATER =
      "actors.compare(next.counter(), next.actor, counter, actor) > 0";

  @TempDir Path dir;

  @Test
  void mutantSkippingSmallerIds_isCaught() {
    assertCaught("actors.compare(next.counter(), next.actor, counter, actor) < 0");
  }

  @Test
  void mutantIgnoringTheActorTieBreak_isCaught() {
    assertCaught("next.counter() > counter");
  }

  @Test
  void mutantNeverSkipping_isCaught() {
    assertCaught("next.counter() < 0");
  }

  @Test
  void unchangedSourceLoadedAlike_passesEverySeed() {
    Method check = differentialCheck(SKIP_IF_GREATER);
    for (long seed = 0; seed < SEEDS; seed++) {
      assertEquals(Optional.empty(), run(check, seed), "seed " + seed);
    }
  }

  private void assertCaught(String wrongSkip) {
    Method check = differentialCheck(wrongSkip);
    for (long seed = 0; seed < SEEDS; seed++) {
      Optional<?> mismatch = run(check, seed);
      if (mismatch.isPresent()) {
        assertTrue(mismatch.get().toString().startsWith("seed " + seed), mismatch.get().toString());
        return;
      }
    }
    throw new AssertionError(
        "the mutant skipping while '" + wrongSkip + "' passed " + SEEDS + " seeds");
  }

  /**
   * {@code DifferentialCheck.mismatch(seed)}; an exception from the engine counts as a mismatch.
   */
  private static Optional<?> run(Method check, long seed) {
    try {
      return (Optional<?>) check.invoke(null, seed);
    } catch (InvocationTargetException e) {
      return Optional.of("seed " + seed + ": the engine threw " + e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code DifferentialCheck.mismatch}, loaded with an OpSet whose skip test is {@code skip}. */
  private Method differentialCheck(String skip) {
    try {
      Path classes =
          Path.of(OpSet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path source =
          classes
              .resolve("../../src/main/java/dev/converge/core/internal/opset/OpSet.java")
              .normalize();
      String text = Files.readString(source);
      int at = text.indexOf(SKIP_IF_GREATER);
      assertTrue(
          at >= 0 && text.indexOf(SKIP_IF_GREATER, at + 1) < 0,
          "OpSet.java must hold the RGA skip test exactly once: " + SKIP_IF_GREATER);
      Path mutantSource = dir.resolve("src/OpSet.java");
      Files.createDirectories(mutantSource.getParent());
      Files.writeString(mutantSource, text.replace(SKIP_IF_GREATER, skip));
      Path out = Files.createDirectories(dir.resolve("classes"));
      // OpSet.java names JSpecify's @Nullable, a compile-time dependency of converge-core.
      Path annotations =
          Path.of(Nullable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      compile(mutantSource, classes + File.pathSeparator + annotations, out);
      ClassLoader loader = new MutantLoader(out, ListOrderMutantTest.class.getClassLoader());
      Method check =
          loader
              .loadClass(DifferentialCheck.class.getName())
              .getDeclaredMethod("mismatch", long.class);
      check.setAccessible(true);
      return check;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void compile(Path source, String classpath, Path out) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "compiling the mutant needs a JDK");
    StringWriter diagnostics = new StringWriter();
    try (var files = javac.getStandardFileManager(null, null, null)) {
      List<String> options =
          List.of(
              "-d",
              out.toString(),
              "-classpath",
              classpath,
              "--release",
              "17",
              "-proc:none",
              "-implicit:none",
              "-nowarn");
      boolean compiled =
          javac
              .getTask(
                  diagnostics,
                  files,
                  null,
                  options,
                  null,
                  files.getJavaFileObjects(source.toFile()))
              .call();
      assertTrue(compiled, "the mutant does not compile:\n" + diagnostics);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Defines every class of converge-core itself, main and test, so that they all see one another
   * and the mutant; takes the classes compiled into {@code mutants} from there, the others from the
   * parent's class path. Everything else (the JDK, JUnit) comes from the parent.
   */
  private static final class MutantLoader extends ClassLoader {
    private static final String CORE = "dev.converge.core.";
    private final Map<String, byte[]> mutants = new HashMap<>();

    MutantLoader(Path mutants, ClassLoader parent) throws IOException {
      super(parent);
      try (Stream<Path> files = Files.walk(mutants)) {
        for (Path file :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
          String name = mutants.relativize(file).toString().replace('/', '.');
          this.mutants.put(
              name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
        }
      }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(CORE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = mutants.containsKey(name) ? mutants.get(name) : parentBytes(name);
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    private byte[] parentBytes(String name) throws ClassNotFoundException {
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
