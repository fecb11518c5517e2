package dev.converge.cli;

import dev.converge.core.ConvergeException;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.Member;
import dev.converge.repo.sealed.MemberKey;
import dev.converge.repo.sealed.SealedRepo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code converge members DIR URL [add KEY | remove KEY]}: lists the members of a sealed document,
 * one per line ({@code KEY device|invite}, then {@code this-device}, {@code adding} or {@code
 * removing} where they apply), or asks for a member to be added or removed at the next sync. An
 * action other than {@code add} or {@code remove} is invalid input (exit 1). With {@code --json}
 * the list is one JSON array of {@code {"key","kind","thisDevice","status"}}.
 */
@Command(
    name = "members",
    mixinStandardHelpOptions = true,
    description = {
      "List the members of a sealed document (KEY device|invite [this-device] [adding|removing]),"
          + " or add or remove one.",
      "A change takes effect at the next 'converge sync'; a removal starts a new key that the"
          + " removed member never gets."
    })
final class MembersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR")
  Path dir;

  @Parameters(index = "1", paramLabel = "URL", description = "automerge: URL or share link")
  String url;

  @Parameters(index = "2", paramLabel = "add|remove", arity = "0..1")
  String action = "";

  @Parameters(index = "3", paramLabel = "KEY", arity = "0..1")
  String key = "";

  @Mixin JsonOutput json = new JsonOutput();

  @Override
  public Integer call() {
    if (!action.isEmpty() && !action.equals("add") && !action.equals("remove")) {
      // A wrong word where the action goes is bad input, as a bad KEY is: one line, exit 1.
      throw new ConvergeException(
          ConvergeException.Kind.INVALID_ARGUMENT,
          "members: unknown action " + CliText.quote(action) + ", expected add KEY or remove KEY");
    }
    if (action.isEmpty() != key.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "Expected 'add KEY' or 'remove KEY'.");
    }
    DocumentId id = SealedRepos.documentOf(url);
    if (action.isEmpty()) {
      try (Repo repo = LocalRepos.open(dir);
          SealedRepo sealed = SealedRepos.requireSealed(repo, dir, id)) {
        print(sealed, id);
      }
      return ExitCodes.OK;
    }
    MemberKey member = MemberKey.parse(key);
    try (WritableRepo writable = WritableRepo.open(dir);
        SealedRepo sealed = SealedRepos.requireSealed(writable.repo(), dir, id)) {
      if (action.equals("add")) {
        sealed.addMember(id, member);
      } else {
        sealed.removeMember(id, member);
      }
    }
    return ExitCodes.OK;
  }

  private void print(SealedRepo sealed, DocumentId id) {
    PrintWriter out = spec.commandLine().getOut();
    if (json.requested) {
      com.fasterxml.jackson.databind.node.ArrayNode array = JsonOutput.array();
      for (Member member : sealed.members(id)) {
        com.fasterxml.jackson.databind.node.ObjectNode entry = array.addObject();
        entry.put("key", member.key().toText());
        entry.put("kind", member.kind().name().toLowerCase(Locale.ROOT));
        entry.put("thisDevice", member.thisDevice());
        entry.put("status", member.status().name().toLowerCase(Locale.ROOT));
      }
      JsonOutput.print(out, array);
      return;
    }
    for (Member member : sealed.members(id)) {
      StringBuilder line = new StringBuilder(member.key().toText());
      line.append(' ').append(member.kind().name().toLowerCase(Locale.ROOT));
      if (member.thisDevice()) {
        line.append(" this-device");
      }
      if (member.status() != Member.Status.MEMBER) {
        line.append(' ').append(member.status().name().toLowerCase(Locale.ROOT));
      }
      out.println(line);
    }
  }
}
