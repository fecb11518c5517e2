package dev.converge.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.converge.core.Change;
import dev.converge.core.CorruptDataException;
import dev.converge.core.Document;
import dev.converge.core.LoadOptions;
import dev.converge.core.ObjId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRecordsTest {
  private static List<byte[]> entries(Document doc) {
    List<byte[]> entries = new ArrayList<>();
    for (Change change : doc.changes()) {
      entries.add(change.toBytes());
    }
    return entries;
  }

  @Test
  void checked_goodEntries_areTheRecordEveryNodeLoads() {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    doc.change(tx -> tx.put(ObjId.ROOT, "b", 2));
    byte[] record = ChangeRecords.checked(entries(doc));
    assertArrayEquals(ChangeRecords.encode(doc.changes()), record);
    Document reader = Document.create();
    assertEquals(2, reader.loadIncremental(record, LoadOptions.DEFAULT));
    assertEquals(doc.heads(), reader.heads());
  }

  @Test
  void checked_entryWithoutItsDependency_passes() {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    doc.change(tx -> tx.put(ObjId.ROOT, "b", 2));
    byte[] second = doc.changes().get(1).toBytes();
    assertArrayEquals(second, ChangeRecords.checked(List.of(second)));
  }

  @Test
  void checked_damagedEntry_throwsWhatALoneServerThrows() {
    Document doc = Document.create();
    doc.change(tx -> tx.put(ObjId.ROOT, "a", 1));
    List<byte[]> entries = entries(doc);
    byte[] damaged = entries.get(0);
    damaged[damaged.length - 1] ^= 0x01;
    CorruptDataException refused =
        assertThrows(CorruptDataException.class, () -> ChangeRecords.checked(entries));
    CorruptDataException direct =
        assertThrows(
            CorruptDataException.class,
            () -> Document.create().loadIncremental(damaged, LoadOptions.DEFAULT));
    assertEquals(direct.getMessage(), refused.getMessage());
  }
}
