package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.converge.core.ChangeHash;
import dev.converge.core.ChangeSummary;
import dev.converge.core.DocumentHistory;
import dev.converge.core.ObjId;
import dev.converge.core.ReadableDocument;
import dev.converge.repo.DocHandle;
import java.io.IOException;
import java.util.List;

/**
 * The JSON replies of a document's page: its summary, a page of its history with the graph's lanes,
 * one object of its value at any version, and the diff between two versions. Each reads the
 * document once, under its lock, so a reply never mixes two versions.
 */
final class DocumentView {
  /** The most changes one history page may ask for. */
  static final int HISTORY_PAGE_MAX = 1000;

  private final DocHandle handle;
  private final HistoryIndex index;

  DocumentView(DocHandle handle, HistoryIndex index) {
    this.handle = handle;
    this.index = index;
  }

  DocHandle handle() {
    return handle;
  }

  /**
   * {@code {"id","url","changeCount","heads","laneCount","overview"}}; see {@link
   * HistoryIndex#overview}.
   */
  String summary() {
    return handle.readHistory(
        doc ->
            Json.write(
                out -> {
                  index.catchUp(doc);
                  out.writeStartObject();
                  out.writeStringField("id", handle.id().toString());
                  out.writeStringField("url", handle.url().toString());
                  out.writeNumberField("changeCount", doc.changeCount());
                  hashes(out, "heads", doc.heads());
                  out.writeNumberField("laneCount", index.laneCount());
                  out.writeFieldName("overview");
                  index.overview(out);
                  out.writeEndObject();
                }));
  }

  /**
   * The changes at indexes {@code from} to {@code from + limit} (fewer at the end) in applied
   * order: {@code {"changeCount","from","to","changes":[{"index","hash","actor","seq","time",
   * "message","opCount","lane","deps":[{"hash","index","lane"}]}]}}.
   */
  String history(QueryParams params) {
    return handle.readHistory(
        doc ->
            Json.write(
                out -> {
                  index.catchUp(doc);
                  int count = doc.changeCount();
                  int from = params.integer("from", Math.max(0, count - 100), count);
                  int limit = params.integer("limit", 100, HISTORY_PAGE_MAX);
                  int to = Math.min(count, from + limit);
                  out.writeStartObject();
                  out.writeNumberField("changeCount", count);
                  out.writeNumberField("from", from);
                  out.writeNumberField("to", to);
                  out.writeArrayFieldStart("changes");
                  int position = from;
                  for (ChangeSummary change : doc.changeSummaries(from, to)) {
                    change(out, doc, position++, change);
                  }
                  out.writeEndArray();
                  out.writeEndObject();
                }));
  }

  private void change(JsonGenerator out, DocumentHistory doc, int position, ChangeSummary change)
      throws IOException {
    out.writeStartObject();
    out.writeNumberField("index", position);
    out.writeStringField("hash", change.hash().toHex());
    out.writeStringField("actor", change.actor().toHex());
    out.writeNumberField("seq", change.seq());
    out.writeNumberField("time", change.time());
    if (change.message().isPresent()) {
      out.writeStringField("message", change.message().get());
    }
    out.writeNumberField("opCount", change.opCount());
    out.writeNumberField("lane", index.lane(position));
    out.writeArrayFieldStart("deps");
    for (ChangeHash dep : change.deps()) {
      int depIndex = doc.changeIndex(dep).orElseThrow();
      out.writeStartObject();
      out.writeStringField("hash", dep.toHex());
      out.writeNumberField("index", depIndex);
      out.writeNumberField("lane", index.lane(depIndex));
      out.writeEndObject();
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  /**
   * One object ({@code obj}, default the root) at the version {@code at} (see {@link
   * QueryParams#version}), from entry {@code from}: {@code {"heads","object"}}, the object as
   * {@link ValueJson#object} writes it.
   */
  String value(QueryParams params) {
    return handle.readHistory(
        doc ->
            Json.write(
                out -> {
                  List<ChangeHash> heads = params.version("at", doc);
                  ObjId obj = params.obj("obj");
                  // The present is read directly: a past version pays for its clock.
                  ReadableDocument version = params.isPresent("at") ? doc.at(heads) : doc;
                  if (!exists(version, obj)) {
                    throw new BadRequestException(
                        "obj", "an object of the document at that version", obj.toString());
                  }
                  out.writeStartObject();
                  hashes(out, "heads", heads);
                  out.writeFieldName("object");
                  ValueJson.object(out, version, obj, params.integer("from", 0, Integer.MAX_VALUE));
                  out.writeEndObject();
                }));
  }

  private static boolean exists(ReadableDocument version, ObjId obj) {
    try {
      version.objType(obj);
      return true;
    } catch (dev.converge.core.ConvergeException e) {
      return false;
    }
  }

  /**
   * The patches from the version {@code before} to the version {@code after} (see {@link
   * QueryParams#version}): {@code {"before","after","patches"}}, as {@link PatchJson} writes them.
   */
  String diff(QueryParams params) {
    return handle.readHistory(
        doc ->
            Json.write(
                out -> {
                  List<ChangeHash> before = params.version("before", doc);
                  List<ChangeHash> after = params.version("after", doc);
                  out.writeStartObject();
                  hashes(out, "before", before);
                  hashes(out, "after", after);
                  out.writeFieldName("patches");
                  PatchJson.patches(out, doc.diff(before, after));
                  out.writeEndObject();
                }));
  }

  private static void hashes(JsonGenerator out, String field, List<ChangeHash> hashes)
      throws IOException {
    out.writeArrayFieldStart(field);
    for (ChangeHash hash : hashes) {
      out.writeString(hash.toHex());
    }
    out.writeEndArray();
  }
}
