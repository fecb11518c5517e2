package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ConvergeException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command's contract: help and version exit 0, usage errors exit 2, and a {@link
 * ConvergeException} from a subcommand exits 1 with one line on stderr.
 *
 * <p>How: each test runs {@link ConvergeCommand#newCommandLine()} in process with stdout and stderr
 * captured in strings; a test-only subcommand throws the exceptions.
 */
class ConvergeCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ConvergeCommand.newCommandLine();
    commandLine.addSubcommand(new FailingCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void help_always_exitsOkAndListsCommands() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("Usage: converge"), out.toString());
    assertTrue(out.toString().contains("help"), out.toString());
  }

  @Test
  void version_always_printsProjectVersion() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("converge "), out.toString());
    assertTrue(!out.toString().contains("${"), "version.properties was not filtered: " + out);
    // Maven writes commit.txt from git describe: 12 hex digits, maybe "-modified".
    assertTrue(
        out.toString().strip().matches("converge \\S+ \\(commit [0-9a-f]{12}(-modified)?\\)"),
        out.toString());
  }

  @Test
  void generateCompletion_always_printsABashScriptForEveryCommand() {
    assertEquals(0, run("generate-completion"));
    String script = out.toString();
    assertTrue(script.contains("complete -F"), script);
    assertTrue(script.contains("bench-trace") && script.contains("ui"), script);
  }

  @Test
  void unknownOption_given_exitsUsage() {
    assertEquals(2, run("--no-such-option"));
    assertTrue(err.toString().contains("--no-such-option"), err.toString());
  }

  @Test
  void noCommand_given_exitsUsage() {
    assertEquals(2, run());
    assertTrue(err.toString().contains("Missing a command"), err.toString());
  }

  @Test
  void convergeException_thrown_exitsInvalidInputWithOneLine() {
    assertEquals(1, run("fail", "bad input\nat byte 7"));
    assertEquals("converge: bad input at byte 7" + System.lineSeparator(), err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void otherException_thrown_exitsInternalError() {
    assertEquals(70, run("fail", "--bug", "broken invariant"));
    assertTrue(err.toString().contains("IllegalStateException"), err.toString());
  }

  @Command(name = "fail")
  static final class FailingCommand implements Runnable {
    @CommandLine.Parameters(index = "0")
    String message = "";

    @CommandLine.Option(names = "--bug")
    boolean bug;

    @Override
    public void run() {
      if (bug) {
        throw new IllegalStateException(message);
      }
      throw new ConvergeException(ConvergeException.Kind.CORRUPT_DATA, message);
    }
  }
}
