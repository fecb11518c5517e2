package dev.converge.cli;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.trace.JsonText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge changes FILE}: one JSON line per change of the Automerge document in FILE, in the
 * document's change order, with the keys of {@code shared/automerge-vectors} {@code changes[]}:
 *
 * <pre>
 * {"hash":"..","actor":"..","seq":1,"startOp":1,"time":1700000000000,"message":"init"|null,"deps":[".."],"ops":26}
 * </pre>
 *
 * Hashes and actors are lowercase hex; {@code time} is milliseconds since the epoch as stored;
 * {@code ops} counts the change's ops. Exit 1 with one line on stderr for an invalid file.
 */
@Command(
    name = "changes",
    mixinStandardHelpOptions = true,
    description = "Print one JSON line per change of an Automerge file.")
final class ChangesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "An Automerge file.")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Change change : DocumentFiles.load(file).changes()) {
      out.println(toJson(change));
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String toJson(Change change) {
    return "{\"hash\":\""
        + change.hash().toHex()
        + "\",\"actor\":\""
        + change.actor().toHex()
        + "\",\"seq\":"
        + change.seq()
        + ",\"startOp\":"
        + change.startOp()
        + ",\"time\":"
        + change.time()
        + ",\"message\":"
        + change.message().map(JsonText::quote).orElse("null")
        + ",\"deps\":["
        + change.deps().stream()
            .map(ChangeHash::toHex)
            .map(hex -> "\"" + hex + "\"")
            .collect(Collectors.joining(","))
        + "],\"ops\":"
        + change.ops().size()
        + "}";
  }
}
