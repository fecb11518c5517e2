package dev.converge.repo.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.converge.core.ConvergeException;
import dev.converge.repo.spi.ViewDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, item 6: a view's selector value is checked when the definition is made. Before, {@code
 * --where '$.type=todo'} (no quotes) reached SQLite and failed at commit with "malformed JSON".
 */
class ViewDefinitionSelectorTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"todo", "", "\"a\" \"b\"", "{", "'todo'"})
  void definition_malformedSelectorValue_isRefused(String value) {
    ConvergeException thrown =
        assertThrows(
            ConvergeException.class,
            () ->
                new ViewDefinition("todos", "$.type", Optional.of(value), Map.of("t", "$.title")));
    assertEquals(ConvergeException.Kind.INVALID_ARGUMENT, thrown.kind());
    assertTrue(String.valueOf(thrown.getMessage()).contains("one JSON value"), thrown.getMessage());
  }

  @Test
  void defineView_wellFormedSelector_works() {
    try (SqliteStorage storage =
        SqliteStorage.open(dir, IfMissing.CREATE, SqliteStorage.Options.DEFAULT)) {
      for (String value : List.of("\"todo\"", "1", "true", "null", "[1]", "{\"a\":1}")) {
        storage.defineView(
            new ViewDefinition("v", "$.type", Optional.of(value), Map.of("t", "$.title")));
      }
      assertEquals(1, storage.viewDefinitions().size());
    }
  }
}
