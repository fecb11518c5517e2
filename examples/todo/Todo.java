import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ReadableDocument;
import dev.converge.core.ScalarValue;
import dev.converge.core.Value;
import dev.converge.net.client.SyncClient;
import dev.converge.net.websocket.WebSocketDialer;
import dev.converge.net.websocket.WebSocketDialerOptions;
import dev.converge.repo.AutomergeUrl;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.SealedLimits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The to-do list of the example page, from the command line. Run it with {@code
 * examples/todo/todo} (the {@code converge} jar on the class path):
 *
 * <pre>
 * todo [--server ws://127.0.0.1:3030/] automerge:LIST [list | add TITLE | done N | undo N | remove N]
 * </pre>
 *
 * <p>It fetches the list from the sync server into an in-memory repository, makes one change, syncs
 * until the server has it (the pages showing the list get it from there at once), and prints the
 * list. N counts from 1, as the list prints.
 */
public class Todo {
  public static void main(String[] args) {
    try {
      run(args);
    } catch (RuntimeException e) {
      System.err.println("todo: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) {
    List<String> words = new ArrayList<>(List.of(args));
    String server = "ws://127.0.0.1:3030/";
    if (words.size() >= 2 && words.get(0).equals("--server")) {
      server = words.get(1);
      words = words.subList(2, words.size());
    }
    if (words.isEmpty()) {
      System.err.println(
          "usage: todo [--server ws://HOST:PORT/] automerge:LIST"
              + " [list | add TITLE | done N | undo N | remove N]");
      System.exit(2);
    }
    AutomergeUrl url = AutomergeUrl.parse(words.get(0));
    List<String> command = words.subList(1, words.size());

    Repo repo = Repo.inMemory();
    try (SyncClient client =
        SyncClient.connect(
            new WebSocketDialer(URI.create(server), WebSocketDialerOptions.DEFAULT),
            Duration.ofSeconds(10),
            SealedLimits.DEFAULT,
            new SplittableRandom())) {
      DocHandle list = repo.findOrCreate(url.documentId());
      check(client.sync(list)); // fetch the list
      if (list.heads().isEmpty()) {
        throw new IllegalArgumentException("the server has no list " + url);
      }
      if (!command.isEmpty() && !command.get(0).equals("list")) {
        edit(list, command);
        check(client.sync(list)); // until the server has our change
      }
      print(list);
    } finally {
      repo.close();
    }
  }

  /** One change: add a to-do, tick one off (or back on), or remove one. */
  private static void edit(DocHandle list, List<String> command) {
    String verb = command.get(0);
    if (verb.equals("add") && command.size() == 2) {
      String title = command.get(1);
      ObjId todos = list.read(doc -> doc.objectAt(ObjId.ROOT, "todos")).orElseThrow();
      int end = list.read(doc -> doc.length(todos));
      list.change(
          tx -> {
            ObjId todo = tx.insertObject(todos, end, ObjType.MAP);
            ObjId text = tx.putObject(todo, "title", ObjType.TEXT); // as JavaScript stores strings
            tx.splice(text, 0, 0, title);
            tx.put(todo, "done", new ScalarValue.Bool(false));
          });
      return;
    }
    if (command.size() != 2) {
      throw new IllegalArgumentException("expected list, add TITLE, done N, undo N or remove N");
    }
    int index = Integer.parseInt(command.get(1)) - 1;
    ObjId todos = list.read(doc -> doc.objectAt(ObjId.ROOT, "todos")).orElseThrow();
    if (index < 0 || index >= list.read(doc -> doc.length(todos))) {
      throw new IllegalArgumentException("no to-do number " + command.get(1));
    }
    switch (verb) {
      case "done", "undo" -> {
        ObjId todo = list.read(doc -> objectAt(doc, todos, index));
        list.change(tx -> tx.put(todo, "done", new ScalarValue.Bool(verb.equals("done"))));
      }
      case "remove" -> list.change(tx -> tx.delete(todos, index));
      default -> throw new IllegalArgumentException("unknown command " + verb);
    }
  }

  private static void print(DocHandle list) {
    list.read(
        doc -> {
          Optional<ObjId> todos = doc.objectAt(ObjId.ROOT, "todos");
          int length = todos.map(doc::length).orElse(0);
          for (int i = 0; i < length; i++) {
            ObjId todo = objectAt(doc, todos.get(), i);
            boolean done =
                doc.get(todo, "done")
                    .map(value -> value.equals(new Value.Scalar(new ScalarValue.Bool(true))))
                    .orElse(false);
            System.out.println((i + 1) + ". [" + (done ? "x" : " ") + "] " + title(doc, todo));
          }
          return null;
        });
  }

  /** The title, written by JavaScript as text (a string in Automerge 3) or as a plain string. */
  private static String title(ReadableDocument doc, ObjId todo) {
    Optional<Value> value = doc.get(todo, "title");
    if (value.isPresent() && value.get() instanceof Value.Obj obj && obj.type() == ObjType.TEXT) {
      return doc.text(obj.id());
    }
    if (value.isPresent()
        && value.get() instanceof Value.Scalar scalar
        && scalar.value() instanceof ScalarValue.Str str) {
      return str.value();
    }
    return "";
  }

  private static ObjId objectAt(ReadableDocument doc, ObjId list, int index) {
    return doc.get(list, index)
        .filter(Value.Obj.class::isInstance)
        .map(value -> ((Value.Obj) value).id())
        .orElseThrow(() -> new IllegalArgumentException("to-do " + (index + 1) + " is no map"));
  }

  private static void check(SyncClient.Outcome outcome) {
    if (!outcome.inSync()) {
      throw new IllegalStateException("not in sync with the server: " + outcome.detail());
    }
  }
}
