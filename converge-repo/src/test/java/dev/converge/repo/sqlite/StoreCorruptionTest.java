package dev.converge.repo.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.ConvergeException;
import dev.converge.core.Document;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.RepoOptions;
import dev.converge.repo.spi.CorruptStoreException;
import dev.converge.repo.spi.LogRecord;
import dev.converge.repo.spi.LostChangesException;
import dev.converge.repo.spi.MalformedStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corruption of a repository's files between runs (the README's "Damaged files"): bit flips,
 * truncations and zeroed pages in the SQLite main file and its WAL. Whatever the damage, a
 * repository never serves a change, a document or a log entry that differs from what it stored, and
 * never serves a document short of changes it acknowledged: it serves the truth or refuses with a
 * typed {@link ConvergeException}. Every fault it detects, it then repairs by syncing with a peer
 * that holds the documents (see {@link #repairFromPeer}).
 *
 * <p>How: {@link StoreImage} writes a store of six documents the same way every time, in two images
 * (closed cleanly, and marked open as after a crash, so an open runs the unclean-shutdown checks).
 * Each injection copies one image, applies one {@link StoreFault} drawn from {@code new
 * SplittableRandom(seed + index)}, opens the copy and reads everything: every document, the whole
 * change stream and the list of documents, each compared with the truth; if a typed error said
 * something was wrong, it repairs the copy from the peer and reads everything again, which must
 * then be the truth. A failure names the injection, the image and the fault; {@code
 * -Dcorruption.seed=S -Dcorruption.only=I} replays it ({@code -Dcorruption.verbose=true} prints
 * each outcome with its error). The build runs {@value #INJECTIONS_DEFAULT} injections; the long
 * run is {@code -Dcorruption.injections=1000} (see the README).
 */
class StoreCorruptionTest {
  static final int INJECTIONS_DEFAULT = 40;
  static final int INJECTIONS = Integer.getInteger("corruption.injections", INJECTIONS_DEFAULT);
  static final long SEED = Long.getLong("corruption.seed", 1L);

  /** Injections to run alone, to replay a failure: {@code -Dcorruption.only=472,924}. */
  static final Set<Integer> ONLY = only(System.getProperty("corruption.only", ""));

  private static Set<Integer> only(String indices) {
    Set<Integer> only = new java.util.TreeSet<>();
    java.util.regex.Matcher number = java.util.regex.Pattern.compile("\\d+").matcher(indices);
    while (number.find()) {
      only.add(Integer.parseInt(number.group()));
    }
    return only;
  }

  /** What reading a damaged store found. */
  enum Outcome {
    /** Everything served equals the truth: the fault hit bytes nothing reads. */
    UNAFFECTED,
    /** The open refused the store with a typed error. */
    DETECTED_AT_OPEN,
    /** The store opened; a document or the change stream was refused with a typed error. */
    DETECTED_ON_READ
  }

  @TempDir static Path root;

  private static StoreImage.Truth truth;
  private static Map<ChangeHash, Change> allChanges;
  private static final Map<ChangeHash, String> documentOf = new java.util.HashMap<>();

  @BeforeAll
  static void writeImages() throws IOException, SQLException {
    truth = StoreImage.write(root.resolve("images"));
    allChanges = StoreImage.allChanges(truth);
    truth
        .changes()
        .forEach((id, changes) -> changes.keySet().forEach(h -> documentOf.put(h, id.toString())));
  }

  @Test
  void injections_neverServeAlteredOrShortDocuments_detectedAndRepairedFromAPeer()
      throws IOException {
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    Map<String, Integer> detections = new TreeMap<>();
    int repaired = 0;
    List<String> unrepaired = new java.util.ArrayList<>();
    for (int index = 0; index < INJECTIONS; index++) {
      if (!ONLY.isEmpty() && !ONLY.contains(index)) {
        continue;
      }
      SplittableRandom random = new SplittableRandom(SEED + index);
      String image = random.nextBoolean() ? StoreImage.CLEAN : StoreImage.UNCLEAN;
      Path work = root.resolve("injection-" + index);
      StoreImage.copy(root.resolve("images").resolve(image), work);
      StoreFault fault = StoreFault.draw(random, work);
      fault.applyTo(work);
      String where = "injection " + index + " (seed " + SEED + ", " + image + ", " + fault + ")";
      Detection detection = read(work, where);
      outcomes.merge(detection.outcome(), 1, Integer::sum);
      if (detection.outcome() != Outcome.UNAFFECTED) {
        repairFromPeer(work, detection);
        Detection after = read(work, where + ", after the repair");
        if (after.outcome() == Outcome.UNAFFECTED) {
          repaired++;
        } else {
          unrepaired.add(where + ": " + after.error().orElse(""));
        }
      }
      detection.error().ifPresent(e -> detections.merge(e, 1, Integer::sum));
      if (Boolean.getBoolean("corruption.verbose")) {
        System.out.println(where + ": " + detection);
      }
      deleteRecursively(work);
    }
    Path clean = root.resolve("images").resolve(StoreImage.CLEAN);
    System.out.println(
        "StoreCorruptionTest seed "
            + SEED
            + ", "
            + INJECTIONS
            + " injections into a main file of "
            + Files.size(clean.resolve(SqliteStorage.FILE_NAME))
            + " bytes and a WAL of "
            + Files.size(clean.resolve(SqliteStorage.FILE_NAME + "-wal"))
            + " bytes: "
            + outcomes);
    System.out.println("  typed errors: " + detections);
    System.out.println(
        "  repaired from a peer: " + repaired + ", not repaired: " + unrepaired.size());
    unrepaired.forEach(line -> System.out.println("  not repaired: " + line));
    assertTrue(
        outcomes.getOrDefault(Outcome.DETECTED_AT_OPEN, 0)
                + outcomes.getOrDefault(Outcome.DETECTED_ON_READ, 0)
            > 0,
        "no injection was detected: the harness cannot tell damage from none");
    assertEquals(List.of(), unrepaired, "detected but not repaired from a peer");
  }

  /**
   * What a repository that syncs with a peer does about damage it detected, as the README says: a
   * store whose open is refused with a {@link LostChangesException} (it went backwards) is opened
   * with {@code LostChanges.OPEN_FOR_REPAIR}; one refused at open for other damage, or found
   * malformed later ({@link MalformedStoreException}), is salvaged ({@link Repo#salvage}) into a
   * fresh store; then the log is scrubbed of damaged entries, and every document is synced with the
   * peer (the sync protocol, between the local document and the peer's), a document that fails to
   * load being repaired ({@link Repo#repair}) from the changes that sync brings.
   */
  private static void repairFromPeer(Path work, Detection detection) {
    if (!syncEveryDocument(openForRepair(work, detection))) {
      // The log cannot be read at all: salvage the store, as its open would have said.
      Repo.salvage(work, RepoOptions.defaults());
      assertTrue(
          syncEveryDocument(
              Repo.open(work, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE))));
    }
  }

  private static Repo openForRepair(Path work, Detection detection) {
    RepoOptions options = RepoOptions.defaults().withIfMissing(IfMissing.REFUSE);
    if (detection.error().orElse("").contains("LostChangesException")) {
      options =
          options.withStorage(
              SqliteStorage.Options.DEFAULT.withLostChanges(LostChanges.OPEN_FOR_REPAIR));
    }
    try {
      return Repo.open(work, options);
    } catch (LostChangesException e) {
      throw new AssertionError(
          "opened with LostChanges.OPEN_FOR_REPAIR, the open still refused", e);
    } catch (CorruptStoreException e) {
      // An open refused for damage other than lost changes: the file itself is damaged.
      Repo.salvage(work, RepoOptions.defaults());
      return Repo.open(work, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE));
    }
  }

  /**
   * Scrubs the log, then syncs every document with the peer, repairing those that fail to load;
   * false when SQLite finds the store malformed on the way.
   */
  private static boolean syncEveryDocument(Repo opened) {
    try (Repo repo = opened) {
      repo.scrub();
      for (DocumentId id : StoreImage.ids(truth)) {
        Document peer = peerCopy(id);
        try {
          DocHandle handle = repo.findOrCreate(id);
          handle.applyChanges(syncFrom(peer, Document.load(handle.save())));
          handle.whenDurable().join();
        } catch (MalformedStoreException e) {
          throw e;
        } catch (CorruptStoreException e) {
          repo.repair(id, syncFrom(peer, Document.create()));
        }
      }
      return true;
    } catch (MalformedStoreException e) {
      return false;
    }
  }

  /** The peer's copy of a document: every change it stored, applied in their order. */
  private static Document peerCopy(DocumentId id) {
    Document peer = Document.create();
    peer.applyChanges(
        List.copyOf(java.util.Objects.requireNonNull(truth.changes().get(id)).values()));
    return peer;
  }

  /**
   * Syncs {@code local} with {@code peer} by the sync protocol until neither has a message left,
   * and returns what {@code local} then holds.
   */
  private static List<Change> syncFrom(Document peer, Document local) {
    SyncState localState = new SyncState();
    SyncState peerState = new SyncState();
    for (int round = 0; round < 50; round++) {
      Optional<byte[]> toPeer = Sync.generateMessage(local, localState);
      toPeer.ifPresent(message -> Sync.receiveMessage(peer, peerState, message));
      Optional<byte[]> toLocal = Sync.generateMessage(peer, peerState);
      toLocal.ifPresent(message -> Sync.receiveMessage(local, localState, message));
      if (toPeer.isEmpty() && toLocal.isEmpty()) {
        return local.changes();
      }
    }
    throw new AssertionError("the sync with the peer did not end in 50 rounds");
  }

  /** What one read of a damaged store found, and the first typed error's class. */
  record Detection(Outcome outcome, Optional<String> error) {}

  private static Detection read(Path work, String where) {
    Repo repo;
    try {
      repo = Repo.open(work, RepoOptions.defaults().withIfMissing(IfMissing.REFUSE));
    } catch (ConvergeException e) {
      return new Detection(Outcome.DETECTED_AT_OPEN, Optional.of("at open: " + describe(e)));
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": the open threw an untyped " + e, e);
    }
    Optional<String> error = Optional.empty();
    try (repo) {
      for (DocumentId id : StoreImage.ids(truth)) {
        try {
          checkDocument(repo, id, where);
        } catch (ConvergeException e) {
          error = error.or(() -> Optional.of(describe(e)));
        }
      }
      try {
        checkStream(repo, where);
      } catch (ConvergeException e) {
        error = error.or(() -> Optional.of(describe(e)));
      }
      try {
        assertEquals(
            new HashSet<>(StoreImage.ids(truth)), new HashSet<>(repo.list()), where + ": list");
      } catch (ConvergeException e) {
        error = error.or(() -> Optional.of(describe(e)));
      }
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": reading threw an untyped " + e, e);
    }
    return new Detection(error.isPresent() ? Outcome.DETECTED_ON_READ : Outcome.UNAFFECTED, error);
  }

  /** A document is served whole and unaltered, or refused. */
  private static void checkDocument(Repo repo, DocumentId id, String where) {
    Optional<DocHandle> found = repo.find(id);
    if (found.isEmpty()) {
      fail(where + ": document " + id + " is missing, and nothing said so");
    }
    Map<ChangeHash, Change> expected = java.util.Objects.requireNonNull(truth.changes().get(id));
    Set<ChangeHash> served = new HashSet<>();
    for (Change change : found.get().changes()) {
      served.add(change.hash());
      if (!expected.containsKey(change.hash())) {
        fail(where + ": document " + id + " served change " + change.hash() + ", never stored");
      }
    }
    if (!served.equals(expected.keySet())) {
      fail(
          where
              + ": document "
              + id
              + " served "
              + served.size()
              + " of its "
              + expected.size()
              + " changes, and nothing said so");
    }
    assertEquals(truth.values().get(id), found.get().toJson(), where + ": value of " + id);
  }

  /** The change stream serves every stored entry, each as stored, or refuses. */
  private static void checkStream(Repo repo, String where) {
    List<LogRecord> records = repo.changes().read(0, Integer.MAX_VALUE);
    Set<ChangeHash> served = new HashSet<>();
    for (LogRecord record : records) {
      Change stored = allChanges.get(record.hash());
      if (stored == null) {
        throw new AssertionError(where + ": the stream served " + record + ", never stored");
      }
      if (!java.util.Arrays.equals(stored.toBytes(), record.bytes())) {
        fail(where + ": the stream served other bytes for " + record);
      }
      if (!record.documentId().equals(documentOf.get(record.hash()))) {
        fail(where + ": the stream served " + record + " under another document");
      }
      served.add(record.hash());
    }
    if (!served.equals(allChanges.keySet())) {
      fail(
          where
              + ": the stream served "
              + served.size()
              + " of "
              + allChanges.size()
              + " entries, and nothing said so");
    }
  }

  private static String describe(ConvergeException e) {
    return Boolean.getBoolean("corruption.verbose")
        ? e.getClass().getSimpleName() + " " + e.getMessage()
        : e.getClass().getSimpleName();
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
