package dev.converge.server.inspector;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.CommitOptions;
import dev.converge.core.Document;
import dev.converge.core.ExpandMark;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.ScalarValue;
import dev.converge.repo.DocHandle;
import dev.converge.repo.Repo;
import java.util.List;

/**
 * A document with every kind of thing the inspector draws: a text with a bold mark, a counter, a
 * list, a nested map, a conflict between two actors on {@code title}, two concurrent branches and a
 * merge, and messages on changes. Plus a second document that a search for {@link #SEARCH_WORD}
 * does not find.
 *
 * <p>History (applied order): 0 create (A), 1 edit on A's branch, 2 edit on B's branch (concurrent
 * with 1), 3 merge (A, depends on 1 and 2).
 */
public final class InspectorSample {
  public static final String OLD_TITLE = "Shopping list";
  public static final String SEARCH_WORD = "oat";
  public static final ActorId OTHER = ActorId.fromHex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

  public final DocHandle handle;
  public final DocHandle unrelated;
  public final ActorId actor;
  public final List<ChangeHash> hashes;
  public final String title;

  public InspectorSample(Repo repo) {
    handle = repo.create();
    handle.change(
        CommitOptions.defaults().withMessage("create the list"),
        tx -> {
          tx.put(ObjId.ROOT, "title", OLD_TITLE);
          tx.put(ObjId.ROOT, "visits", new ScalarValue.Counter(1));
          ObjId notes = tx.putObject(ObjId.ROOT, "notes", ObjType.TEXT);
          tx.splice(notes, 0, 0, "buy oat milk today");
          ObjId items = tx.putObject(ObjId.ROOT, "items", ObjType.LIST);
          tx.insert(items, 0, ScalarValue.str("milk"));
          tx.insert(items, 1, ScalarValue.str("bread"));
          ObjId owner = tx.putObject(ObjId.ROOT, "owner", ObjType.MAP);
          tx.put(owner, "name", "Ada");
        });
    Document other = Document.load(handle.save()).fork(OTHER);
    other.change(
        CommitOptions.defaults().withMessage("B renames"),
        tx -> {
          tx.put(ObjId.ROOT, "title", "Groceries B");
          tx.increment(ObjId.ROOT, "visits", 2);
        });
    ObjId notes = handle.read(doc -> doc.objectAt(ObjId.ROOT, "notes").orElseThrow());
    handle.change(
        CommitOptions.defaults().withMessage("A renames and marks"),
        tx -> {
          tx.put(ObjId.ROOT, "title", "Groceries A");
          tx.mark(notes, 4, 7, ExpandMark.NONE, "bold", ScalarValue.bool(true));
        });
    List<Change> fromOther = other.changes();
    handle.applyChanges(fromOther.subList(fromOther.size() - 1, fromOther.size()));
    handle.change(
        CommitOptions.defaults().withMessage("merge"), tx -> tx.increment(ObjId.ROOT, "visits", 1));
    actor = handle.changes().get(0).actor();
    hashes = handle.changes().stream().map(Change::hash).toList();
    title =
        handle.read(
            doc ->
                ((ScalarValue.Str)
                        ((dev.converge.core.Value.Scalar)
                                doc.get(ObjId.ROOT, "title").orElseThrow())
                            .value())
                    .value());
    handle.whenDurable().join();

    unrelated = repo.create();
    unrelated.change(tx -> tx.put(ObjId.ROOT, "title", "Something else"));
    unrelated.whenDurable().join();
  }
}
