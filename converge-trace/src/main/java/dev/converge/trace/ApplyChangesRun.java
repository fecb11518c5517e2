package dev.converge.trace;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.Document;
import dev.converge.core.DocumentOptions;
import dev.converge.core.LoadOptions;
import dev.converge.core.ObjId;
import dev.converge.core.TextUnit;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Locale;

/**
 * The whole history of a trace applied at once to an empty document, as a replica receives it when
 * it first syncs, or when it opens a log of changes: the figure to set beside Yjs applying the same
 * history as one update.
 *
 * <p>{@link #prepare} replays the trace once with {@link ConvergeEngine} (untimed) and keeps the
 * final document's changes, decoded and as concatenated change chunks. Each {@link #run} then
 * times, on a collected heap, {@code Document.applyChanges} of the decoded changes in one call
 * ({@code apply_changes_ms}), and {@code Document.loadIncremental} of the chunks ({@code
 * load_incremental_ms}: decoding, checksums and hashes included, as a peer's bytes need), and
 * checks both documents' text against endContent.
 */
public final class ApplyChangesRun {
  private final Trace trace;
  private final List<Change> changes;
  private final byte[] chunks;
  private final ObjId text;

  private ApplyChangesRun(Trace trace, List<Change> changes, byte[] chunks, ObjId text) {
    this.trace = trace;
    this.changes = changes;
    this.chunks = chunks;
    this.text = text;
  }

  /**
   * Replays {@code trace} and keeps its changes.
   *
   * @throws TextMismatchException if the replay does not end with endContent
   */
  public static ApplyChangesRun prepare(Trace trace) {
    ConvergeEngine engine = new ConvergeEngine();
    ConvergeEngine.Replica replica = TraceReplay.replay(engine, trace);
    TextMismatchException.check(trace.name(), trace.endContent(), engine.text(replica));
    List<Change> changes = replica.document().changes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Change change : changes) {
      change.writeTo(out);
    }
    return new ApplyChangesRun(trace, changes, out.toByteArray(), replica.text());
  }

  /**
   * Applies the history once each way and returns the figures as one JSON line: {@code
   * {"trace":..,"changes":..,"apply_changes_ms":..,"load_incremental_ms":..,"final_length":..}}.
   *
   * @throws TextMismatchException if either document does not end with endContent
   */
  public String run() {
    System.gc();
    long start = System.nanoTime();
    Document applied = emptyDocument();
    applied.applyChanges(changes);
    long appliedAt = System.nanoTime();
    check(applied, "applyChanges");
    System.gc();
    long loadStart = System.nanoTime();
    Document loaded = emptyDocument();
    loaded.loadIncremental(chunks, LoadOptions.DEFAULT);
    long loadedAt = System.nanoTime();
    check(loaded, "loadIncremental");
    String content = loaded.text(text);
    return String.format(
        Locale.ROOT,
        "{\"trace\":%s,\"changes\":%d,\"apply_changes_ms\":%.1f,\"load_incremental_ms\":%.1f,"
            + "\"final_length\":%d}",
        JsonText.quote(trace.name()),
        changes.size(),
        TraceRun.millis(appliedAt - start),
        TraceRun.millis(loadedAt - loadStart),
        content.codePointCount(0, content.length()));
  }

  private static Document emptyDocument() {
    return Document.create(
        ActorId.of(TraceActors.agent(0)),
        System::currentTimeMillis,
        new DocumentOptions(TextUnit.CODE_POINT));
  }

  private void check(Document document, String how) {
    TextMismatchException.check(
        trace.name() + " after " + how + " of all changes",
        trace.endContent(),
        document.text(text));
  }
}
