package dev.converge.server.inspector;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.converge.core.Mark;
import dev.converge.core.Patch;
import dev.converge.core.PathElement;
import dev.converge.core.Value;
import java.io.IOException;
import java.util.List;

/**
 * Patches as JSON, one object each, in order: {@code {"action","obj","path", ...}} where the path
 * is a list of keys (strings) and indexes (numbers) from the root to the object, and the rest
 * depends on the action: {@code put} ({@code at}, {@code value}, {@code conflict}), {@code insert}
 * ({@code index}, {@code values}), {@code splice} ({@code index}, {@code text}), {@code delete}
 * ({@code index}, {@code length}), {@code deleteKey} ({@code key}), {@code increment} ({@code at},
 * {@code by} as a string) and {@code marks} ({@code marks}: name, value, start, end; a null value
 * removes the mark).
 */
final class PatchJson {
  /** The most patches one reply lists; the rest are counted in {@code "omitted"}. */
  static final int PATCHES_MAX = 5000;

  private PatchJson() {}

  /** {@code [patch...]}, at most {@link #PATCHES_MAX}, then {@code "omitted"} beside it. */
  static void patches(JsonGenerator out, List<Patch> patches) throws IOException {
    out.writeStartArray();
    for (Patch patch : patches.subList(0, Math.min(PATCHES_MAX, patches.size()))) {
      patch(out, patch);
    }
    out.writeEndArray();
    out.writeNumberField("omitted", Math.max(0, patches.size() - PATCHES_MAX));
  }

  private static void patch(JsonGenerator out, Patch patch) throws IOException {
    out.writeStartObject();
    out.writeStringField("obj", patch.obj().toString());
    out.writeArrayFieldStart("path");
    for (PathElement step : patch.path()) {
      element(out, step);
    }
    out.writeEndArray();
    if (patch instanceof Patch.Put put) {
      out.writeStringField("action", "put");
      out.writeFieldName("at");
      element(out, put.at());
      out.writeFieldName("value");
      ValueJson.patchValue(out, put.value());
      out.writeBooleanField("conflict", put.conflict());
    } else if (patch instanceof Patch.Insert insert) {
      out.writeStringField("action", "insert");
      out.writeNumberField("index", insert.index());
      out.writeArrayFieldStart("values");
      for (Value value : insert.values()) {
        ValueJson.patchValue(out, value);
      }
      out.writeEndArray();
    } else if (patch instanceof Patch.SpliceText splice) {
      out.writeStringField("action", "splice");
      out.writeNumberField("index", splice.index());
      out.writeStringField("text", splice.text());
    } else if (patch instanceof Patch.Delete delete) {
      out.writeStringField("action", "delete");
      out.writeNumberField("index", delete.index());
      out.writeNumberField("length", delete.length());
    } else if (patch instanceof Patch.DeleteKey deleteKey) {
      out.writeStringField("action", "deleteKey");
      out.writeStringField("key", deleteKey.key());
    } else if (patch instanceof Patch.Increment increment) {
      out.writeStringField("action", "increment");
      out.writeFieldName("at");
      element(out, increment.at());
      out.writeStringField("by", Long.toString(increment.by()));
    } else if (patch instanceof Patch.MarkSpans spans) {
      out.writeStringField("action", "marks");
      out.writeArrayFieldStart("marks");
      for (Mark mark : spans.marks()) {
        out.writeStartObject();
        out.writeStringField("name", mark.name());
        out.writeFieldName("value");
        ValueJson.scalar(out, mark.value());
        out.writeNumberField("start", mark.start());
        out.writeNumberField("end", mark.end());
        out.writeEndObject();
      }
      out.writeEndArray();
    } else {
      throw new AssertionError(patch);
    }
    out.writeEndObject();
  }

  private static void element(JsonGenerator out, PathElement step) throws IOException {
    if (step instanceof PathElement.Key key) {
      out.writeString(key.name());
    } else if (step instanceof PathElement.Index index) {
      out.writeNumber(index.index());
    } else {
      throw new AssertionError(step);
    }
  }
}
