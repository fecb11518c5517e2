package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The progress bar draws in place on a terminal (carriage returns, one redraw per percentage, a
 * newline at the end) and prints nothing at all otherwise.
 */
class ProgressBarTest {
  @Test
  void terminal_drawsInPlace_oncePerPercent_endsLine() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "import", true);
    for (int done = 0; done <= 400; done++) {
      bar.update(done, 400);
    }
    bar.finish();
    String drawn = text.toString();
    assertEquals(101, drawn.chars().filter(c -> c == '\r').count(), drawn);
    assertTrue(drawn.endsWith("import [" + "#".repeat(30) + "] 100% (400/400)\n"), drawn);
    assertTrue(drawn.startsWith("\rimport [" + " ".repeat(30) + "]   0% (0/400)"), drawn);
  }

  @Test
  void notTerminal_printsNothing() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "rebuild", false);
    bar.update(5, 10);
    bar.finish();
    assertEquals("", text.toString());
  }

  @Test
  void erase_thenUpdate_blanksTheLineAndDrawsAgain() {
    StringWriter text = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(text), "bench", true);
    bar.update(1, 2);
    bar.erase();
    String erased = text.toString();
    assertTrue(erased.endsWith("\r"), erased);
    assertTrue(erased.substring(erased.indexOf("(1/2)") + 5).isBlank(), erased);
    bar.update(1, 2);
    assertTrue(
        text.toString().endsWith("\rbench [" + "#".repeat(15) + " ".repeat(15) + "]  50% (1/2)"));
    bar.erase();
    bar.finish();
    assertTrue(text.toString().endsWith("\r"), "an erased bar needs no newline");
  }
}
