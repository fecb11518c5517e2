package dev.converge.server.inspector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.converge.core.ActorId;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.ObjId;
import java.util.List;
import org.eclipse.jetty.util.Fields;

/**
 * Fuzzes the decoding of the inspector's query parameters (versions by heads or count, object IDs,
 * indexes) with arbitrary strings, against a small document.
 *
 * <p>How: the only allowed outcomes are a value or a {@link ConvergeException} of kind
 * INVALID_ARGUMENT (what the inspector answers with 400), and the document is unchanged either way;
 * a version decoded from heads names only the document's own changes. Under {@code mvn test} Jazzer
 * replays the seeds in {@code
 * src/test/resources/dev/converge/server/inspector/QueryParamsFuzzTestInputs/decode/}; to explore,
 * run {@code JAZZER_FUZZ=1 mvn -pl converge-server test -Dtest=QueryParamsFuzzTest}.
 */
class QueryParamsFuzzTest {
  private static final Document DOC = sample();

  private static Document sample() {
    Document doc = Document.create(ActorId.fromHex("aa"), () -> 0L);
    doc.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    doc.change(tx -> tx.put(ObjId.ROOT, "b", 2));
    return doc;
  }

  @FuzzTest(maxDuration = "60s")
  void decode(FuzzedDataProvider data) {
    Fields fields = new Fields();
    for (String name : new String[] {"at", "at_count", "obj", "from"}) {
      if (data.consumeBoolean()) {
        fields.put(name, data.consumeString(200));
      }
    }
    QueryParams params = new QueryParams(fields);
    byte[] saved = DOC.save();
    try {
      List<ChangeHash> heads = params.version("at", DOC);
      for (ChangeHash head : heads) {
        assertTrue(DOC.changeIndex(head).isPresent(), head.toHex());
      }
      ObjId obj = params.obj("obj");
      int from = params.integer("from", 0, Integer.MAX_VALUE);
      assertTrue(from >= 0);
      DOC.at(heads).objType(obj);
    } catch (ConvergeException expected) {
      assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, expected.kind(), expected.getMessage());
    }
    assertArrayEquals(saved, DOC.save());
  }
}
