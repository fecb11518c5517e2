package dev.converge.cli;

import static dev.converge.cli.CommandBadInputTest.held;
import static dev.converge.cli.CommandBadInputTest.invalid;
import static dev.converge.cli.CommandBadInputTest.usage;

import dev.converge.cli.CommandBadInputTest.Row;
import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.ByteString;
import dev.converge.repo.sealed.ShareLink;
import java.util.List;

/**
 * The rows of {@link CommandBadInputTest}: per command, its bad inputs and the exit code each must
 * give (1 invalid input, 2 usage error), with a part of the expected message where one matters.
 */
final class CommandBadInputRows {
  private static final String UNKNOWN_DOC = "automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu";
  private static final String DEEP = "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}";

  private CommandBadInputRows() {}

  static List<Row> root() {
    return List.of(
        usage("root: no command"),
        usage("root: unknown option", "--no-such-option"),
        usage("root: unknown command", "frobnicate"));
  }

  static List<Row> fileCommands() {
    return List.of(
        invalid("cat: missing file", "no such file", "cat", "{missing}"),
        invalid("cat: a directory", null, "cat", "{dir}"),
        invalid("cat: corrupt file", null, "cat", "{corrupt}"),
        invalid("cat: text file", null, "cat", "{text}"),
        usage("cat: no file", "cat"),
        usage("cat: two files", "cat", "{file}", "{file}"),
        invalid("heads: missing file", "no such file", "heads", "{missing}"),
        invalid("heads: corrupt file", null, "heads", "{corrupt}"),
        usage("heads: no file", "heads"),
        invalid("changes: missing file", "no such file", "changes", "{missing}"),
        invalid("changes: corrupt file", null, "changes", "{corrupt}"),
        usage("changes: unknown option", "changes", "--bogus", "{file}"),
        invalid("save: corrupt input", null, "save", "{corrupt}", "{dir}/out.automerge"),
        invalid("save: missing input", "no such file", "save", "{missing}", "{dir}/out.automerge"),
        invalid(
            "save: output in a missing directory",
            "no such file",
            "save",
            "{file}",
            "{dir}/no/such/out.automerge"),
        invalid("save: output is a directory", null, "save", "{file}", "{dir}"),
        usage("save: no output", "save", "{file}"),
        invalid("bench-trace: missing trace", "no such file", "bench-trace", "{missing}"),
        invalid("bench-trace: not a trace", null, "bench-trace", "{text}"),
        invalid("bench-trace: binary file", null, "bench-trace", "{file}"),
        usage("bench-trace: --runs 0", "bench-trace", "{file}", "--runs", "0"),
        usage("bench-trace: --warmup -1", "bench-trace", "{file}", "--warmup", "-1"),
        usage("bench-trace: --runs not a number", "bench-trace", "{file}", "--runs", "x"));
  }

  static List<Row> repositoryCommands() {
    return List.of(
        invalid("init: a file", null, "init", "{text}"),
        usage("init: no directory", "init"),
        invalid("new: not a repository", "no Converge repository", "new", "{dir}"),
        invalid("new: an array", "JSON object", "new", "{repo}", "[1,2]"),
        invalid("new: empty JSON", "no JSON value", "new", "{repo}", ""),
        invalid("new: blank JSON", "no JSON value", "new", "{repo}", " \n "),
        invalid("new: trailing text", "not JSON", "new", "{repo}", "{\"a\":1} x"),
        invalid("new: trailing value", "text after the value", "new", "{repo}", "{\"a\":1} 2"),
        invalid("new: not JSON", "not JSON", "new", "{repo}", "{bad"),
        invalid("new: float overflow", "out of range", "new", "{repo}", "{\"n\":1e400}"),
        invalid(
            "new: integer above uint64",
            "out of range",
            "new",
            "{repo}",
            "{\"n\":18446744073709551616}"),
        invalid("new: nested too deep", "nested deeper", "new", "{repo}", DEEP),
        held("new: repository in use", "new", "{repo}", "{}"),
        invalid("put: not a URL", null, "put", "{repo}", "not-a-url", "/a", "1"),
        invalid("put: bad base58check", null, "put", "{repo}", "automerge:0OIl", "/a", "1"),
        invalid("put: unknown document", "no document", "put", "{repo}", UNKNOWN_DOC, "/a", "1"),
        invalid("put: path without /", "JSON Pointer", "put", "{repo}", "{url}", "a", "1"),
        invalid("put: through a missing key", "no key", "put", "{repo}", "{url}", "/x/y", "1"),
        invalid("put: index out of range", "out of range", "put", "{repo}", "{url}", "/n/5", "1"),
        invalid("put: not an index", "not a list index", "put", "{repo}", "{url}", "/n/x", "1"),
        invalid("put: into text", null, "put", "{repo}", "{url}", "/title/0", "1"),
        invalid("put: two values", "text after the value", "put", "{repo}", "{url}", "/a", "1 2"),
        invalid("put: float overflow", "out of range", "put", "{repo}", "{url}", "/a", "1e400"),
        invalid("put: float underflow", "underflows", "put", "{repo}", "{url}", "/a", "1e-400"),
        invalid(
            "put: integer below int64",
            "out of range",
            "put",
            "{repo}",
            "{url}",
            "/a",
            "-9223372036854775809"),
        invalid("put: array at the root", "JSON object", "put", "{repo}", "{url}", "", "[1]"),
        invalid("put: empty JSON", "no JSON value", "put", "{repo}", "{url}", "/a", ""),
        invalid("put: not a repository", null, "put", "{dir}", "{url}", "/a", "1"),
        held("put: repository in use", "put", "{repo}", "{url}", "/a", "1"),
        usage("put: missing JSON", "put", "{repo}", "{url}", "/a"),
        invalid("get: unknown document", "no document", "get", "{repo}", UNKNOWN_DOC),
        invalid("get: missing path", "no value at", "get", "{repo}", "{url}", "/nope"),
        invalid("get: bad path", "JSON Pointer", "get", "{repo}", "{url}", "nope"),
        invalid("get: missing repository", null, "get", "{dir}/none", "{url}"),
        held("get: repository in use", "get", "{repo}", "{url}"),
        invalid("log: bad URL", null, "log", "{repo}", "automerge:"),
        invalid("purge: unknown document", "no document", "purge", "{repo}", UNKNOWN_DOC),
        invalid("purge: malformed URL", null, "purge", "{repo}", "automerge:"),
        invalid("purge: not a URL", null, "purge", "{repo}", "https://example.com/x"),
        invalid("purge: missing repository", null, "purge", "{dir}/none", "{url}"),
        invalid("purge: not a repository", null, "purge", "{text}", "{url}"),
        held("purge: repository in use", "purge", "{repo}", "{url}"),
        usage("purge: missing URL", "purge", "{repo}"),
        usage("purge: missing DIR and URL", "purge"),
        usage("purge: unknown option", "purge", "--bogus", "{repo}", "{url}"),
        invalid("compact: unknown document", "no document", "compact", "{repo}", UNKNOWN_DOC),
        invalid("compact: malformed URL", null, "compact", "{repo}", "automerge:"),
        invalid("compact: not a URL", null, "compact", "{repo}", "https://example.com/x"),
        invalid("compact: missing repository", null, "compact", "{dir}/none", "{url}"),
        invalid("compact: not a repository", null, "compact", "{text}", "{url}"),
        held("compact: repository in use", "compact", "{repo}", "{url}"),
        usage("compact: missing URL", "compact", "{repo}"),
        usage("compact: unknown option", "compact", "--bogus", "{repo}", "{url}"),
        invalid("log: not a repository", null, "log", "{text}", "{url}"),
        invalid(
            "export: unknown document",
            "no document",
            "export",
            "{repo}",
            UNKNOWN_DOC,
            "{dir}/x.automerge"),
        invalid(
            "export: output in a missing directory",
            "no such file",
            "export",
            "{repo}",
            "{url}",
            "{dir}/no/such/x.automerge"),
        invalid("import: corrupt file", "corrupt.automerge", "import", "{repo}", "{corrupt}"),
        invalid("import: missing file", "no such file", "import", "{repo}", "{missing}"),
        invalid("import: good then corrupt", null, "import", "{repo}", "{file}", "{corrupt}"),
        invalid("import: --into bad URL", null, "import", "{repo}", "{file}", "--into", "x"),
        invalid(
            "import: --into unknown document",
            "no document",
            "import",
            "{repo}",
            "{file}",
            "--into",
            UNKNOWN_DOC),
        held("import: repository in use", "import", "{repo}", "{file}"),
        usage("import: no file", "import", "{repo}"));
  }

  static List<Row> queryAndViews() {
    return List.of(
        invalid("query: empty", "no SQL statement", "query", "{repo}", ""),
        invalid(
            "query: two statements",
            "exactly one",
            "query",
            "{repo}",
            "select 1; delete from docs"),
        invalid("query: delete", "only reads", "query", "{repo}", "delete from docs"),
        invalid(
            "query: attach",
            "only reads",
            "query",
            "{repo}",
            "attach database '{dir}/attached.db' as x"),
        invalid(
            "query: write in a CTE",
            null,
            "query",
            "{repo}",
            "with x as (select 1) delete from docs"),
        invalid("query: syntax error", "query failed", "query", "{repo}", "select from where"),
        invalid("query: no such table", "no such table", "query", "{repo}", "select * from todos"),
        invalid("query: not a repository", null, "query", "{dir}", "select 1"),
        usage("query: --max-rows 0", "query", "{repo}", "select 1", "--max-rows", "0"),
        usage("query: --max-rows x", "query", "{repo}", "select 1", "--max-rows", "x"),
        held("query: repository in use", "query", "{repo}", "select 1"),
        usage("views: no action", "views", "{repo}"),
        usage("views: unknown action", "views", "{repo}", "frobnicate"),
        usage("views: rebuild with a name", "views", "{repo}", "rebuild", "nosuch"),
        usage(
            "views: define without --where", "views", "{repo}", "define", "v", "--column", "t=$.t"),
        usage("views: define without --column", "views", "{repo}", "define", "v", "--where", "$.t"),
        usage(
            "views: define bad --column",
            "views",
            "{repo}",
            "define",
            "v",
            "--where",
            "$.t",
            "--column",
            "t"),
        invalid(
            "views: define unquoted value",
            "one JSON value",
            "views",
            "{repo}",
            "define",
            "v",
            "--where",
            "$.type=todo",
            "--column",
            "t=$.t"),
        invalid(
            "views: define bad name",
            "view name",
            "views",
            "{repo}",
            "define",
            "1v",
            "--where",
            "$.t",
            "--column",
            "t=$.t"),
        invalid(
            "views: define bad path",
            "JSON path",
            "views",
            "{repo}",
            "define",
            "v",
            "--where",
            "type",
            "--column",
            "t=$.t"),
        invalid("views: drop unknown", "no view", "views", "{repo}", "drop", "nosuch"),
        invalid("views: not a repository", null, "views", "{dir}", "list"),
        held("views: repository in use", "views", "{repo}", "list"));
  }

  /** A link of the right form for a document the repository never joined. */
  private static final String UNKNOWN_LINK =
      new ShareLink(
              DocumentId.parse("4NMNnkMhL8jXrdJ9jamS58PAVdXu"),
              ByteString.of(new byte[32]),
              ByteString.of(new byte[32]))
          .toText();

  static List<Row> sealedAndSync() {
    return List.of(
        invalid("new --sealed: not JSON", "not JSON", "new", "{repo}", "--sealed", "{bad"),
        invalid("new --sealed: not a repository", null, "new", "{dir}", "--sealed"),
        invalid("join: not a link", "not a share link", "join", "{repo}", "automerge:abc"),
        invalid("join: no secret", "no #SECRET", "join", "{repo}", "converge-sealed:abc"),
        invalid(
            "join: short secret",
            "not a share link",
            "join",
            "{repo}",
            "converge-sealed:4NMNnkMhL8jXrdJ9jamS58PAVdXu#abc"),
        invalid(
            "join: secret kept out of the message",
            "secret is not base58check",
            "join",
            "{repo}",
            "converge-sealed:4NMNnkMhL8jXrdJ9jamS58PAVdXu#0topsecret0"),
        invalid("join: not a repository", null, "join", "{dir}", UNKNOWN_LINK),
        usage("join: no link", "join", "{repo}"),
        invalid("whoami: not a repository", null, "whoami", "{dir}"),
        invalid("whoami: missing", null, "whoami", "{missing}"),
        usage("whoami: no directory", "whoami"),
        invalid("members: not sealed", "no sealed document", "members", "{repo}", "{url}"),
        invalid("members: not a URL", null, "members", "{repo}", "not-a-url"),
        invalid("members: unknown link", "no sealed document", "members", "{repo}", UNKNOWN_LINK),
        invalid("members: bad key", "not a member key", "members", "{repo}", "{url}", "add", "xyz"),
        invalid(
            "members: add to plaintext",
            "not a member key",
            "members",
            "{repo}",
            "{url}",
            "remove",
            "4NMNnkMhL8jXrdJ9jamS58PAVdXu"),
        usage("members: add without key", "members", "{repo}", "{url}", "add"),
        invalid(
            "members: unknown action",
            "unknown action 'grant'",
            "members",
            "{repo}",
            "{url}",
            "grant",
            "KEY"),
        invalid(
            "members: unknown action, no key",
            "unknown action 'frobnicate'",
            "members",
            "{repo}",
            "{url}",
            "frobnicate"),
        invalid("get: link never joined", "join it first", "get", "{repo}", UNKNOWN_LINK),
        invalid("get: bad link", "not a share link", "get", "{repo}", "converge-sealed:x#y"),
        invalid("sync: not a URL", "not a WebSocket URL", "sync", "{repo}", "not a url"),
        invalid("sync: http", "not a WebSocket URL", "sync", "{repo}", "http://127.0.0.1:1/"),
        invalid("sync: no host", "not a WebSocket URL", "sync", "{repo}", "ws:///x"),
        invalid("sync: not a repository", null, "sync", "{dir}", "ws://127.0.0.1:1/"),
        invalid("sync: nobody listening", "cannot connect", "sync", "{repo}", "ws://127.0.0.1:1/"),
        usage("sync: no server", "sync", "{repo}"),
        invalid("bench-sealed: missing trace", "cannot read trace", "bench-sealed", "{missing}"),
        usage("bench-sealed: --seal-changes 0", "bench-sealed", "{text}", "--seal-changes", "0"),
        usage("sync: --token without value", "sync", "{repo}", "ws://127.0.0.1:1/", "--token"));
  }

  static List<Row> serveAndSim() {
    return List.of(
        usage("serve: --port 70000", "serve", "--port", "70000", "--data", "{dir}/s"),
        usage("serve: --port -1", "serve", "--port", "-1", "--data", "{dir}/s"),
        usage("serve: --port x", "serve", "--port", "x"),
        usage(
            "serve: --max-frame-bytes -1",
            "serve",
            "--port",
            "0",
            "--max-frame-bytes",
            "-1",
            "--data",
            "{dir}/s"),
        usage(
            "serve: --max-messages-per-second 0",
            "serve",
            "--port",
            "0",
            "--max-messages-per-second",
            "0",
            "--data",
            "{dir}/s"),
        usage(
            "serve: --max-connection-bytes 0",
            "serve",
            "--port",
            "0",
            "--max-connection-bytes",
            "0",
            "--data",
            "{dir}/s"),
        invalid(
            "serve: --host bogus.invalid",
            "does not resolve",
            "serve",
            "--port",
            "0",
            "--host",
            "bogus.invalid",
            "--data",
            "{dir}/s"),
        invalid("serve: --data a file", "is a file", "serve", "--port", "0", "--data", "{text}"),
        invalid(
            "serve: --token-file missing",
            null,
            "serve",
            "--port",
            "0",
            "--data",
            "{repo}",
            "--token-file",
            "{missing}"),
        invalid(
            "serve: port in use",
            "cannot listen",
            "serve",
            "--port",
            "{busyPort}",
            "--data",
            "{dir}/s"),
        held("serve: data directory in use", "serve", "--port", "0", "--data", "{repo}"),
        usage("sim: no seeds", "sim"),
        usage("sim: empty range", "sim", "--seeds", "5..1"),
        usage("sim: not a range", "sim", "--seeds", "x"),
        usage("sim: bound beyond 64 bits", "sim", "--seeds", "1..99999999999999999999"),
        usage("sim: every long", "sim", "--seeds", "-9223372036854775808..9223372036854775807"),
        usage("sim: --progress -1", "sim", "--seeds", "1..2", "--progress", "-1"),
        usage("sim: --replicas 9", "sim", "--seed", "1", "--replicas", "9"),
        usage("sim: --steps -1", "sim", "--seed", "1", "--steps", "-1"),
        usage("sim: --threads 0", "sim", "--seeds", "1..2", "--threads", "0"),
        usage("sim: --threads 1025", "sim", "--seeds", "1..2", "--threads", "1025"),
        usage("sim: --plant unknown", "sim", "--seed", "1", "--plant", "NOPE"));
  }
}
