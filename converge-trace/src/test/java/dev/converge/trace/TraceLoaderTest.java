package dev.converge.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The trace loader on small handmade traces: both formats, plain and gzip, and each kind of invalid
 * input it must refuse with a {@link TraceFormatException} naming the txn.
 */
class TraceLoaderTest {
  static final String SEQUENTIAL =
      """
      {"startContent":"","endContent":"hi there","txns":[
        {"time":"2021-04-19T06:06:58.219Z","patches":[[0,0,"hello"]]},
        {"time":"2021-04-19T06:06:58.219Z","patches":[[0,5,"hi"],[2,0," there"]]},
        {"time":"2021-04-19T06:06:58.219Z","patches":[[2,0,"!"],[2,1,""]]}
      ]}
      """;

  /**
   * Two agents. Agent 0 types "ab"; agent 1, having seen only "a", types "x" before it and "y"
   * between x and a; agent 0 merges both ("xyab") and appends "!"; agent 1 deletes the "x"; agent 0
   * ends with an empty txn.
   */
  static final String CONCURRENT =
      """
      {"kind":"concurrent","endContent":"yab!","numAgents":2,"txns":[
        {"parents":[],"numChildren":2,"agent":0,"patches":[[0,0,"a"]]},
        {"parents":[0],"numChildren":1,"agent":0,"patches":[[1,0,"b"]]},
        {"parents":[0],"numChildren":1,"agent":1,"patches":[[0,0,"x"]]},
        {"parents":[2],"numChildren":1,"agent":1,"patches":[[1,0,"y"]]},
        {"parents":[1,3],"numChildren":1,"agent":0,"patches":[[4,0,"!"]]},
        {"parents":[4],"numChildren":1,"agent":1,"patches":[[0,1,""]]},
        {"parents":[5],"numChildren":0,"agent":0,"patches":[]}
      ]}
      """;

  static Trace parse(String json) throws IOException {
    return TraceLoader.read("handmade", new ByteArrayInputStream(utf8(json)));
  }

  @Test
  void read_sequential_txnsInOrderWithoutParents() throws IOException {
    Trace trace = parse(SEQUENTIAL);

    assertEquals(TraceKind.SEQUENTIAL, trace.kind());
    assertEquals("hi there", trace.endContent());
    assertEquals(1, trace.numAgents());
    assertEquals(3, trace.txns().size());
    assertEquals(5, trace.patchCount());
    assertEquals(
        new TraceTxn(
            0, List.of(), List.of(new TracePatch(0, 5, "hi"), new TracePatch(2, 0, " there"))),
        trace.txns().get(1));
    assertEquals(List.of(), trace.txns().get(0).parents());
  }

  @Test
  void read_concurrent_agentsAndParents() throws IOException {
    Trace trace = parse(CONCURRENT);

    assertEquals(TraceKind.CONCURRENT, trace.kind());
    assertEquals(2, trace.numAgents());
    assertEquals(7, trace.txns().size());
    assertEquals(
        new TraceTxn(0, List.of(1, 3), List.of(new TracePatch(4, 0, "!"))), trace.txns().get(4));
    assertEquals(List.of(), trace.txns().get(6).patches());
  }

  @Test
  void read_gzip_sameTraceAsPlain() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(utf8(CONCURRENT));
    }

    Trace trace = TraceLoader.read("handmade", new ByteArrayInputStream(compressed.toByteArray()));

    assertEquals(parse(CONCURRENT), trace);
  }

  @Test
  void traceName_stripsJsonAndGz() {
    assertEquals("friendsforever", TraceLoader.traceName(Path.of("a/friendsforever.json.gz")));
    assertEquals("x", TraceLoader.traceName(Path.of("x.json")));
  }

  @Test
  void read_patchWithTwoElements_refused() {
    assertRefused("{\"endContent\":\"\",\"txns\":[{\"patches\":[[0,0]]}]}", "txn 0 patch 0");
  }

  @Test
  void read_parentPointingForward_refused() {
    assertRefused(
        "{\"kind\":\"concurrent\",\"endContent\":\"\",\"numAgents\":1,\"txns\":["
            + "{\"parents\":[],\"agent\":0,\"patches\":[]},"
            + "{\"parents\":[1],\"agent\":0,\"patches\":[]}]}",
        "txn 1: parent 1 does not point backwards");
  }

  @Test
  void read_agentOutOfRange_refused() {
    assertRefused(
        "{\"kind\":\"concurrent\",\"endContent\":\"\",\"numAgents\":2,\"txns\":["
            + "{\"parents\":[],\"agent\":2,\"patches\":[]}]}",
        "txn 0: agent 2 not in 0..1");
  }

  @Test
  void read_nonAsciiText_keptAsIs() throws IOException {
    Trace trace =
        parse(
            "{\"endContent\":\"\u00e9\ud83d\ude00\",\"txns\":[{\"patches\":[[0,0,\"\u00e9\"]]},"
                + "{\"patches\":[[1,0,\"\ud83d\ude00\"]]},{\"patches\":[[2,0,\"\u00e9\"]]}]}");
    assertEquals("é😀", trace.endContent());
    assertEquals("😀", trace.txns().get(1).patches().get(0).insert());
    // One string per character, shared by every patch that inserts it.
    assertSame(
        trace.txns().get(0).patches().get(0).insert(),
        trace.txns().get(2).patches().get(0).insert());
  }

  @Test
  void read_loneSurrogate_refused() {
    assertRefused(
        "{\"endContent\":\"\",\"txns\":[{\"patches\":[[0,0,\"a\\ud83d\"]]}]}",
        "txn 0 patch 0: lone surrogate U+D83D at UTF-16 index 1");
  }

  @Test
  void read_missingEndContent_refused() {
    assertRefused("{\"txns\":[]}", "missing endContent");
  }

  @Test
  void read_notJson_refused() {
    assertRefused("{\"txns\": [", "not valid JSON");
  }

  private static void assertRefused(String json, String expectedMessagePart) {
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> parse(json));
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains(expectedMessagePart), message);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
