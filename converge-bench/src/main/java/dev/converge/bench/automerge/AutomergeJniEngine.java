package dev.converge.bench.automerge;

import dev.converge.trace.TraceActors;
import dev.converge.trace.TraceEngine;
import dev.converge.trace.TracePatch;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;

/**
 * {@code org.automerge:automerge} (0.0.7, Rust Automerge through JNI) as a trace engine.
 *
 * <p>A local transaction is {@code startTransaction}, {@code spliceText} per patch, {@code commit}.
 * The update shipped to peers is {@code encodeChangesSince(heads before the transaction)}: the
 * binding has no other way to hand out a change, so a concurrent replay pays for encoding and
 * decoding each change, where the Converge adapter passes {@code Change} objects.
 *
 * <p>Documents live in native memory and are not freed by the garbage collector: {@link #close}
 * calls {@code Document.free()}. The native library ships inside the jar for linux, macOS and
 * Windows on x86_64 and aarch64, and is extracted to {@code java.io.tmpdir} on first use. Not
 * thread-safe.
 */
public final class AutomergeJniEngine implements TraceEngine<AutomergeJniEngine.Replica, byte[]> {
  /** One JNI document and the ID of its text object. */
  public record Replica(Document document, ObjectId text) {}

  @Override
  public String name() {
    return "automerge-jni";
  }

  @Override
  public Replica create() {
    Document document = new Document(TraceActors.setup());
    ObjectId text;
    try (Transaction tx = document.startTransaction()) {
      text = tx.set(ObjectId.ROOT, "text", ObjectType.TEXT);
      tx.commit();
    }
    return new Replica(document, text);
  }

  @Override
  public Replica fork(Replica source, int agent) {
    return new Replica(source.document().fork(TraceActors.agent(agent)), source.text());
  }

  @Override
  public void edit(Replica replica, List<TracePatch> patches) {
    try (Transaction tx = replica.document().startTransaction()) {
      for (TracePatch patch : patches) {
        tx.spliceText(replica.text(), patch.position(), patch.deleteCount(), patch.insert());
      }
      tx.commit();
    }
  }

  @Override
  public Optional<byte[]> editForPeers(Replica replica, List<TracePatch> patches) {
    ChangeHash[] before = replica.document().getHeads();
    edit(replica, patches);
    if (Arrays.equals(before, replica.document().getHeads())) {
      return Optional.empty();
    }
    return Optional.of(replica.document().encodeChangesSince(before));
  }

  @Override
  public void applyRemote(Replica replica, byte[] update) {
    replica.document().applyEncodedChanges(update);
  }

  @Override
  public void merge(Replica target, Replica source) {
    target.document().merge(source.document());
  }

  @Override
  public String text(Replica replica) {
    return replica
        .document()
        .text(replica.text())
        .orElseThrow(() -> new IllegalStateException("no text object " + replica.text()));
  }

  @Override
  public byte[] save(Replica replica) {
    return replica.document().save();
  }

  @Override
  public Replica load(byte[] saved) {
    Document document = Document.load(saved);
    Optional<AmValue> value = document.get(ObjectId.ROOT, "text");
    if (value.isPresent() && value.get() instanceof AmValue.Text text) {
      return new Replica(document, text.getId());
    }
    document.free();
    throw new IllegalStateException("loaded document has no text object at key \"text\"");
  }

  @Override
  public void close(Replica replica) {
    replica.document().free();
  }
}
