package dev.converge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.cli.CommandBadInputTest.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/**
 * Issue 15, the defects a new user hit, one test each (the bad-input table is {@link
 * CommandBadInputTest}): serve and sim refused {@code --help} (item 1); {@code new DIR '[1,2]'}
 * failed but left an empty document (3); {@code put DIR URL '' JSON} merged where the help says set
 * (10); every {@code put} wrote as a new actor, so {@code log} showed seq 1 for every change (10);
 * a view's table name was nowhere to be seen, and {@code dropView} had no command (6); the option
 * help of serve did not name the environment variables it reads (9).
 */
class Issue15Test {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z_]+)");

  @TempDir Path dir;

  private String repo() {
    return dir.resolve("repo").toString();
  }

  @Test
  void serveAndSim_help_exitOk() {
    for (String command : List.of("serve", "sim")) {
      Result result = CommandBadInputTest.run(command, "--help");
      assertEquals(0, result.exit(), command + ": " + result.err());
      assertTrue(result.out().startsWith("Usage: converge " + command), result.out());
    }
  }

  @Test
  void new_arrayGiven_leavesNoDocument() {
    assertEquals(0, CommandBadInputTest.run("init", repo()).exit());
    assertEquals(1, CommandBadInputTest.run("new", repo(), "[1,2]").exit());
    Result count = CommandBadInputTest.run("query", repo(), "SELECT count(*) AS n FROM docs");
    assertEquals("{\"n\":0}", count.out().strip());
  }

  @Test
  void put_atTheRoot_setsTheWholeDocument() {
    String url = newDocument("{\"a\":1,\"b\":2}");
    assertEquals(0, CommandBadInputTest.run("put", repo(), url, "", "{\"c\":3}").exit());
    assertEquals("{\"c\":3}", CommandBadInputTest.run("get", repo(), url).out().strip());
  }

  @Test
  void puts_fromSeparateCommands_shareOneActorWithConsecutiveSeqs() {
    String url = newDocument("{\"a\":0}");
    for (int i = 1; i <= 3; i++) {
      assertEquals(
          0, CommandBadInputTest.run("put", repo(), url, "/a", Integer.toString(i)).exit());
    }
    List<String> log = CommandBadInputTest.run("log", repo(), url).out().lines().toList();
    assertEquals(4, log.size(), log.toString());
    String actor = log.get(0).replaceAll(".*\"actor\":\"([0-9a-f]+)\".*", "$1");
    for (int i = 0; i < log.size(); i++) {
      assertTrue(log.get(i).contains("\"actor\":\"" + actor + "\""), log.get(i));
      assertTrue(log.get(i).contains("\"seq\":" + (i + 1) + ","), log.get(i));
    }
    String other = newDocument("{\"x\":1}");
    String first = CommandBadInputTest.run("log", repo(), other).out();
    assertTrue(first.contains("\"actor\":\"" + actor + "\""), first);
  }

  @Test
  void views_defineNamesTheTable_dropRemovesIt() {
    newDocument("{\"type\":\"todo\",\"title\":\"milk\"}");
    Result defined =
        CommandBadInputTest.run(
            "views",
            repo(),
            "define",
            "todos",
            "--where",
            "$.type=\"todo\"",
            "--column",
            "title=$.title");
    assertEquals(0, defined.exit(), defined.err());
    assertTrue(defined.out().contains("view_todos"), defined.out());
    Result rows = CommandBadInputTest.run("query", repo(), "SELECT title FROM view_todos");
    assertEquals("{\"title\":\"milk\"}", rows.out().strip());
    assertEquals(0, CommandBadInputTest.run("views", repo(), "drop", "todos").exit());
    assertEquals("", CommandBadInputTest.run("views", repo(), "list").out());
    assertEquals(1, CommandBadInputTest.run("query", repo(), "SELECT * FROM view_todos").exit());
  }

  @Test
  void serveHelp_namesEveryEnvironmentVariableItReads() {
    int checked = 0;
    for (java.lang.reflect.Field field : ServeCommand.class.getDeclaredFields()) {
      Option option = field.getAnnotation(Option.class);
      Matcher env = ENV.matcher(option == null ? "" : option.defaultValue());
      if (option != null && env.find()) {
        String help = String.join(" ", option.description());
        assertTrue(
            help.contains("env " + env.group(1)),
            option.names()[0] + " reads " + env.group(1) + " but its help says: " + help);
        checked++;
      }
    }
    assertEquals(15, checked); // the options of ServeCommand that read an environment variable
  }

  private String newDocument(String json) {
    if (!dir.resolve("repo").toFile().exists()) {
      assertEquals(0, CommandBadInputTest.run("init", repo()).exit());
    }
    Result created = CommandBadInputTest.run("new", repo(), json);
    assertEquals(0, created.exit(), created.err());
    return created.out().strip();
  }
}
