package dev.converge.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.converge.core.TextUnit;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads an editing trace (format: see the package documentation) from gzip or plain JSON.
 *
 * <p>The file is streamed with Jackson's parser rather than read into a tree: automerge-paper has
 * 259,778 txns, and a tree would cost several times the memory of the {@link Trace} it becomes.
 * Gzip is recognised by its magic bytes, not by the file name.
 *
 * <p>A trace is input from disk, so everything is checked before a replay can trust it: the field
 * types, each patch's shape, parents that point backwards, agents in range, and that all text is
 * well-formed Unicode (a JSON escape can name half a surrogate pair, which no document can hold).
 * Text may be anything else: positions in the files count code points, and the engines replay them
 * in that unit. Unknown fields ({@code time}, {@code numChildren}) are skipped. A trace without
 * {@code "kind": "concurrent"} is sequential: agent 0, each txn's parent the previous one.
 *
 * <p>Stateless and thread-safe.
 */
public final class TraceLoader {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One shared string per ASCII character: nearly every patch inserts one character, and sharing
   * them keeps a loaded automerge-paper small, so peak-heap figures measure the engine. Other
   * single characters are shared per trace (see {@code Reader#shared}).
   */
  private static final String[] SINGLE_CHARACTERS = new String[0x80];

  static {
    for (char c = 0; c < SINGLE_CHARACTERS.length; c++) {
      SINGLE_CHARACTERS[c] = String.valueOf(c);
    }
  }

  /** Agents beyond this are refused before a vector clock per txn is allocated for them. */
  static final int AGENTS_MAX = 1024;

  private TraceLoader() {}

  /**
   * Loads the trace in {@code file}; its name, without {@code .gz} and {@code .json}, names the
   * trace.
   *
   * @throws IOException if the file cannot be read
   * @throws TraceFormatException if the content is not a valid trace
   */
  public static Trace load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(traceName(file), in);
    }
  }

  /**
   * Reads a trace from {@code in}, gzip-compressed or not. Does not close {@code in}.
   *
   * @throws IOException if reading fails
   * @throws TraceFormatException if the content is not a valid trace
   */
  public static Trace read(String name, InputStream in) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    InputStream json =
        first == 0x1f && second == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    try (JsonParser parser = JSON.createParser(json)) {
      return new Reader(name, parser).readTrace();
    } catch (JsonParseException e) {
      throw new TraceFormatException(
          "trace " + name + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String traceName(Path file) {
    String name = String.valueOf(file.getFileName());
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".json")) {
      name = name.substring(0, name.length() - 5);
    }
    return name;
  }

  /** The state of one read: the fields seen so far. */
  private static final class Reader {
    private final String name;
    private final JsonParser parser;
    private @Nullable String kind;
    private String startContent = "";
    private @Nullable String endContent;
    private int numAgents = 1;
    private final List<RawTxn> txns = new ArrayList<>();
    // The one string kept for each non-ASCII character inserted alone.
    private final Map<String, String> shared = new HashMap<>();

    Reader(String name, JsonParser parser) {
      this.name = name;
      this.parser = parser;
    }

    Trace readTrace() throws IOException {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "the trace");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "kind" -> kind = string(value, "kind");
          case "startContent" ->
              startContent = wellFormed(string(value, "startContent"), "startContent");
          case "endContent" -> endContent = wellFormed(string(value, "endContent"), "endContent");
          case "numAgents" -> numAgents = integer(value, "numAgents");
          case "txns" -> readTxns(value);
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw fail("trailing content after the trace object");
      }
      return build();
    }

    private Trace build() {
      if (endContent == null) {
        throw fail("missing endContent");
      }
      boolean concurrent = "concurrent".equals(kind);
      if (!concurrent && kind != null && !"sequential".equals(kind)) {
        throw fail("unknown kind \"" + kind + "\"");
      }
      if (numAgents < 1 || numAgents > AGENTS_MAX) {
        throw fail("numAgents must be in 1.." + AGENTS_MAX + ", found " + numAgents);
      }
      List<TraceTxn> result = new ArrayList<>(txns.size());
      for (int index = 0; index < txns.size(); index++) {
        RawTxn raw = txns.get(index);
        if (concurrent) {
          result.add(concurrentTxn(index, raw));
        } else {
          // No parents: a sequential txn follows the one before, and a list holding a boxed index
          // per txn was a third of a loaded automerge-paper.
          result.add(new TraceTxn(0, List.of(), raw.patches()));
        }
      }
      return new Trace(
          name,
          concurrent ? TraceKind.CONCURRENT : TraceKind.SEQUENTIAL,
          startContent,
          endContent,
          concurrent ? numAgents : 1,
          result);
    }

    private TraceTxn concurrentTxn(int index, RawTxn raw) {
      if (raw.agent() < 0 || raw.agent() >= numAgents) {
        throw fail("txn " + index + ": agent " + raw.agent() + " not in 0.." + (numAgents - 1));
      }
      for (int parent : raw.parents()) {
        if (parent < 0 || parent >= index) {
          throw fail("txn " + index + ": parent " + parent + " does not point backwards");
        }
      }
      if (raw.parents().isEmpty() && index != 0) {
        throw fail("txn " + index + ": only txn 0 may have no parents");
      }
      return new TraceTxn(raw.agent(), raw.parents(), raw.patches());
    }

    private void readTxns(JsonToken value) throws IOException {
      expect(value, JsonToken.START_ARRAY, "txns");
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        txns.add(readTxn(txns.size()));
      }
      expect(parser.currentToken(), JsonToken.END_ARRAY, "txns");
    }

    private RawTxn readTxn(int index) throws IOException {
      int agent = 0;
      List<Integer> parents = List.of();
      List<TracePatch> patches = List.of();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "agent" -> agent = integer(value, "txn " + index + " agent");
          case "parents" -> parents = readParents(value, index);
          case "patches" -> patches = readPatches(value, index);
          default -> parser.skipChildren();
        }
      }
      return new RawTxn(agent, parents, patches);
    }

    private List<Integer> readParents(JsonToken value, int index) throws IOException {
      expect(value, JsonToken.START_ARRAY, "txn " + index + " parents");
      List<Integer> parents = new ArrayList<>(2);
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        parents.add(integer(token, "txn " + index + " parent"));
      }
      return parents;
    }

    private List<TracePatch> readPatches(JsonToken value, int index) throws IOException {
      expect(value, JsonToken.START_ARRAY, "txn " + index + " patches");
      List<TracePatch> patches = new ArrayList<>(1);
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        String what = "txn " + index + " patch " + patches.size();
        expect(token, JsonToken.START_ARRAY, what);
        int position = integer(parser.nextToken(), what + " position");
        int deleteCount = integer(parser.nextToken(), what + " deleteCount");
        String insert = wellFormed(string(parser.nextToken(), what + " insertText"), what);
        expect(parser.nextToken(), JsonToken.END_ARRAY, what + " (three elements)");
        if (position < 0 || deleteCount < 0) {
          throw fail(what + ": negative position or deleteCount");
        }
        patches.add(new TracePatch(position, deleteCount, insert));
      }
      return patches;
    }

    private void expect(@Nullable JsonToken found, JsonToken expected, String what) {
      if (found != expected) {
        throw fail(what + ": expected " + expected + ", found " + found);
      }
    }

    private int integer(@Nullable JsonToken token, String what) throws IOException {
      if (token != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() != JsonParser.NumberType.INT) {
        throw fail(what + ": expected an int, found " + token);
      }
      return parser.getIntValue();
    }

    private String string(@Nullable JsonToken token, String what) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        throw fail(what + ": expected a string, found " + token);
      }
      return parser.getText();
    }

    /**
     * {@code text} if it is well-formed UTF-16 (every surrogate in a pair), as one shared string if
     * it is one character.
     */
    private String wellFormed(String text, String what) {
      OptionalInt lone = TextUnit.loneSurrogateIndex(text);
      if (lone.isPresent()) {
        int i = lone.getAsInt();
        throw fail(
            what
                + ": lone surrogate U+"
                + Integer.toHexString(text.charAt(i)).toUpperCase(Locale.ROOT)
                + " at UTF-16 index "
                + i);
      }
      if (text.length() == 1 && text.charAt(0) < SINGLE_CHARACTERS.length) {
        return SINGLE_CHARACTERS[text.charAt(0)];
      }
      if (text.codePointCount(0, text.length()) == 1) {
        return shared.computeIfAbsent(text, character -> character);
      }
      return text;
    }

    private TraceFormatException fail(String message) {
      return new TraceFormatException("trace " + name + ": " + message);
    }
  }

  private record RawTxn(int agent, List<Integer> parents, List<TracePatch> patches) {}
}
