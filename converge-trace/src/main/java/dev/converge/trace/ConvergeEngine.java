package dev.converge.trace;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.DocumentOptions;
import dev.converge.core.LoadOptions;
import dev.converge.core.ObjId;
import dev.converge.core.ObjType;
import dev.converge.core.TextUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Converge's {@link Document} as a trace engine: a local transaction is one {@code doc.change(tx ->
 * ...)} with {@code tx.splice} per patch; the update shipped to peers is the {@link Change} it
 * returns, applied with {@code applyChanges}. Documents count text in code points ({@link
 * TextUnit#CODE_POINT}), the unit of the trace format, so positions go to the engine as they are,
 * with no scan of the text. Not thread-safe.
 */
public final class ConvergeEngine implements TraceEngine<ConvergeEngine.Replica, Change> {
  /** One Converge document and the ID of its text object. */
  public record Replica(Document document, ObjId text) {}

  private static final DocumentOptions OPTIONS = new DocumentOptions(TextUnit.CODE_POINT);

  private @Nullable ObjId createdText;

  @Override
  public String name() {
    return "converge";
  }

  @Override
  public Replica create() {
    Document document =
        Document.create(ActorId.of(TraceActors.setup()), System::currentTimeMillis, OPTIONS);
    AtomicReference<ObjId> text = new AtomicReference<>();
    document.change(tx -> text.set(tx.putObject(ObjId.ROOT, "text", ObjType.TEXT)));
    ObjId created = Objects.requireNonNull(text.get(), "the setup change made no text object");
    createdText = created;
    return new Replica(document, created);
  }

  @Override
  public Replica fork(Replica source, int agent) {
    return new Replica(source.document().fork(ActorId.of(TraceActors.agent(agent))), source.text());
  }

  @Override
  public void edit(Replica replica, List<TracePatch> patches) {
    change(replica, patches);
  }

  @Override
  public Optional<Change> editForPeers(Replica replica, List<TracePatch> patches) {
    return change(replica, patches);
  }

  private static Optional<Change> change(Replica replica, List<TracePatch> patches) {
    ObjId text = replica.text();
    return replica
        .document()
        .change(
            tx -> {
              for (TracePatch patch : patches) {
                tx.splice(text, patch.position(), patch.deleteCount(), patch.insert());
              }
            });
  }

  @Override
  public void applyRemote(Replica replica, Change update) {
    replica.document().applyChanges(List.of(update));
  }

  @Override
  public void merge(Replica target, Replica source) {
    target.document().merge(source.document());
  }

  @Override
  public String text(Replica replica) {
    return replica.document().text(replica.text());
  }

  @Override
  public byte[] save(Replica replica) {
    return replica.document().save();
  }

  @Override
  public Replica load(byte[] saved) {
    return new Replica(
        Document.load(saved, LoadOptions.DEFAULT.withTextUnit(TextUnit.CODE_POINT)),
        loadedTextObject());
  }

  /**
   * The text object of a loaded document. Every replay creates it with the first op of the setup
   * actor, so its ID is the one {@link #create()} saw.
   */
  private ObjId loadedTextObject() {
    ObjId text = createdText;
    if (text == null) {
      throw new IllegalStateException("load before any create: the text object ID is unknown");
    }
    return text;
  }

  @Override
  public void close(Replica replica) {
    // A Converge document is plain Java heap: the garbage collector frees it.
  }
}
