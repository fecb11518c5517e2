package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code converge sim}: one seed prints a summary and exits 0 when it passes; a range prints {@code
 * N passed, N failed} on a line of its own and, for each failing seed, the command that replays it,
 * exiting 1 if any failed.
 *
 * <p>How: in process through {@link ConvergeCommand#newCommandLine()}, with stdout and stderr
 * captured; the failing range plants a bug ({@code --plant}) that the simulator must catch.
 */
class SimCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ConvergeCommand.newCommandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void sim_oneSeed_printsSummary() {
    assertEquals(0, run("sim", "--seed", "3", "--steps", "50", "--replicas", "3"), err::toString);
    String text = out.toString();
    assertTrue(text.contains("seed 3, steps 50, replicas 3"), text);
    assertTrue(text.contains("messages sent"), text);
    assertTrue(text.contains("crashes"), text);
    assertTrue(text.contains("partitions"), text);
    assertTrue(text.contains("final heads"), text);
    assertTrue(text.contains("PASSED"), text);
  }

  @Test
  void sim_range_printsCounts() {
    assertEquals(
        0, run("sim", "--seeds", "1..20", "--steps", "40", "--threads", "2"), err::toString);
    assertTrue(out.toString().lines().anyMatch("20 passed, 0 failed"::equals), out::toString);
  }

  @Test
  void sim_rangeWithPlantedBug_listsReplayCommandsAndExits1() {
    assertEquals(
        1,
        run("sim", "--seeds", "1..4", "--steps", "100", "--plant", "DROP_RECEIVED_CHANGE"),
        err::toString);
    String text = out.toString();
    assertTrue(text.lines().anyMatch(line -> line.matches("\\d+ passed, [1-9]\\d* failed")), text);
    assertTrue(
        text.contains("replay: converge sim --seed ")
            && text.contains(" --steps 100 --replicas 3 --plant DROP_RECEIVED_CHANGE"),
        text);
  }

  @Test
  void sim_badRange_isUsageError() {
    assertEquals(2, run("sim", "--seeds", "5..1"));
    assertEquals(2, run("sim", "--seeds", "x"));
    assertEquals(2, run("sim", "--seed", "1", "--replicas", "9"));
    assertEquals(2, run("sim"));
  }
}
