package dev.converge.core.internal.document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.converge.core.Change;
import dev.converge.core.internal.change.Chunk;
import dev.converge.core.internal.change.Chunks;
import dev.converge.core.internal.change.Json;
import dev.converge.core.internal.change.Vectors;
import dev.converge.core.internal.codec.ByteReader;
import dev.converge.core.internal.codec.ColumnMetadata;
import dev.converge.core.internal.codec.Deflate;
import dev.converge.core.internal.codec.RawColumn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests against documents saved by JS Automerge 3.5.0.
 *
 * <p>How: each vector has {@code .nodeflate.automerge} ({@code saveNoCompress}) and {@code
 * .automerge} ({@code save}, columns of 256 bytes or more deflated). Both must decode, strictly
 * canonical, and rebuild changes whose hashes are the {@code .json} changes' hashes (as a set).
 * Encoding the decoded document without compression must give the {@code .nodeflate} bytes exactly;
 * with compression, every column must inflate to the same bytes as Automerge's (the DEFLATE bytes
 * themselves may differ from zlib's).
 */
class DocumentChunkGoldenTest {

  static Stream<String> sharedVectors() {
    return Vectors.vectorNames().stream();
  }

  @Test
  void resourceVectors_roundTrip() {
    for (String name : List.of("vec-001", "vec-003", "vec-014")) {
      check(
          name,
          Vectors.resource("vectors/" + name + ".nodeflate.automerge"),
          Vectors.resource("vectors/" + name + ".automerge"),
          Vectors.resource("vectors/" + name + ".json"));
    }
  }

  @ParameterizedTest
  @MethodSource("sharedVectors")
  void sharedVector_roundTrips(String name) {
    check(
        name,
        Vectors.vectorFile(name + ".nodeflate.automerge"),
        Vectors.vectorFile(name + ".automerge"),
        Vectors.vectorFile(name + ".json"));
  }

  static void check(String name, byte[] plain, byte[] deflated, byte[] json) {
    Map<String, Object> expected =
        Json.object(Json.parse(new String(json, StandardCharsets.UTF_8)));
    List<String> expectedHashes =
        Json.array(expected.get("changes")).stream()
            .map(change -> (String) Json.object(change).get("hash"))
            .sorted()
            .collect(Collectors.toList());
    for (byte[] bytes : List.of(plain, deflated)) {
      DecodedDocument document =
          DocumentChunk.decode(Chunks.single(bytes), DocumentChunk.DecodeOptions.STRICT);
      List<Change> changes = document.reconstructChanges();
      assertEquals(
          expectedHashes,
          changes.stream().map(c -> c.hash().toHex()).sorted().collect(Collectors.toList()),
          name + " change hashes");
      assertEquals(
          Json.array(expected.get("heads")),
          document.heads().stream().map(h -> h.toHex()).toList(),
          name + " heads");
      assertArrayEquals(
          plain, DocumentChunk.encode(document, false), name + " re-encoded without compression");
      byte[] recompressed = DocumentChunk.encode(document, true);
      assertEquals(
          inflatedColumns(deflated), inflatedColumns(recompressed), name + " inflated columns");
    }
  }

  /** Every column of a document chunk as hex, inflated if it was compressed, with its spec. */
  static List<String> inflatedColumns(byte[] bytes) {
    Chunk chunk = Chunks.single(bytes);
    ByteReader reader = new ByteReader(bytes, chunk.bodyOffset(), chunk.bodyLength());
    int actors = reader.readCount("actors", 1 << 20);
    for (int i = 0; i < actors; i++) {
      reader.skip(reader.readLength("actor"), "actor");
    }
    reader.skip(reader.readCount("heads", 1 << 20) * 32, "heads");
    List<RawColumn> changeColumns = ColumnMetadata.read(reader, "changes");
    List<RawColumn> opColumns = ColumnMetadata.read(reader, "ops");
    List<String> out = new ArrayList<>();
    int start = reader.position();
    for (List<RawColumn> columns : List.of(changeColumns, opColumns)) {
      for (RawColumn column : columns) {
        byte[] data =
            column.spec().deflate()
                ? Deflate.inflate(bytes, start + column.offset(), column.length(), 1 << 24, "c")
                : java.util.Arrays.copyOfRange(
                    bytes, start + column.offset(), start + column.end());
        out.add(column.spec().normalized() + " " + java.util.HexFormat.of().formatHex(data));
      }
      start += ColumnMetadata.totalLength(columns);
    }
    return out;
  }
}
