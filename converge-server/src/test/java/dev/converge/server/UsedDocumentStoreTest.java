package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ObjId;
import dev.converge.net.server.DocumentStore;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.spi.PurgedDocumentException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UsedDocumentStoreTest {
  private final Repo repo = Repo.inMemory();
  private final List<DocumentId> used = new ArrayList<>();
  private final DocumentStore store = UsedDocumentStore.of(DocumentStore.of(repo), used::add);

  @Test
  void find_storedDocument_foundAndReportedUsed() {
    DocHandle handle = repo.create();
    handle.change(tx -> tx.put(ObjId.ROOT, "a", 1));

    assertEquals(handle, store.find(handle.id()).orElseThrow());
    assertEquals(List.of(handle.id()), used);
  }

  @Test
  void find_unknownDocument_emptyAndNothingReported() {
    assertTrue(store.find(DocumentId.random(new SplittableRandom(1))).isEmpty());
    assertEquals(List.of(), used);
  }

  @Test
  void create_preparedDocument_notReportedUntilFound() {
    DocumentId id = DocumentId.random(new SplittableRandom(2));

    store.create(id);

    assertEquals(List.of(), used);
  }

  @Test
  void purge_goesToTheStore_andItsRefusalComesThroughUnwrapped() {
    DocHandle handle = repo.create();

    assertTrue(store.purge(handle.id()));
    assertTrue(store.isPurged(handle.id()));
    assertFalse(repo.find(handle.id()).isPresent());
    assertThrows(PurgedDocumentException.class, () -> store.create(handle.id()));
  }

  @Test
  void everyStoreMethod_isForwarded_noneLeftToTheInterfaceDefault() throws Exception {
    for (Method method : DocumentStore.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Method implemented =
          UsedDocumentStore.class.getMethod(method.getName(), method.getParameterTypes());
      assertEquals(UsedDocumentStore.class, implemented.getDeclaringClass(), method.getName());
    }
  }
}
