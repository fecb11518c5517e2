package dev.converge.cli;

import dev.converge.core.ChangeHash;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.spi.ViewDefinition;
import dev.converge.repo.spi.ViewStore;
import dev.converge.repo.sqlite.IfMissing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a repository holds, as comparable text: the files of its directory (the SQLite journal files
 * aside, which come and go with every open), and per document its change hashes and its saved
 * bytes, and per view its definition and rows. Two equal states mean a command changed nothing a
 * user could see.
 */
record RepoState(List<String> files, List<String> documents, List<String> views) {
  static RepoState of(Path dir) {
    List<String> documents = new ArrayList<>();
    List<String> views = new ArrayList<>();
    try (Repo repo = Repo.open(dir, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE))) {
      for (DocumentId id : repo.list()) {
        DocHandle handle = repo.find(id).orElseThrow();
        documents.add(
            id
                + " "
                + handle.changes().stream()
                    .map(change -> change.hash())
                    .map(ChangeHash::toHex)
                    .toList()
                + " "
                + Base64.getEncoder().encodeToString(handle.save()));
      }
      ViewStore store = repo.views().orElseThrow();
      for (ViewDefinition view : store.viewDefinitions()) {
        views.add(view + " " + store.query("SELECT * FROM " + view.tableName(), 1000));
      }
    }
    return new RepoState(files(dir), documents, views);
  }

  private static List<String> files(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .map(path -> path.getFileName().toString())
          .filter(name -> !name.endsWith("-wal") && !name.endsWith("-shm"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
