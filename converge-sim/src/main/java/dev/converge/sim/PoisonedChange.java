package dev.converge.sim;

import dev.converge.core.ActorId;
import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.LoadOptions;
import dev.converge.core.sync.SyncMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The planted bug {@link PlantedBug#DROP_RECEIVED_CHANGE}: rewrites a received sync message without
 * one change, as a buggy receiver that silently loses it would behave. Test-only behaviour; never
 * used unless that bug is planted.
 */
final class PoisonedChange {
  private PoisonedChange() {}

  /**
   * The message without the poisoned change, or unchanged if it does not carry it.
   *
   * @param choose picks the poisoned change among the message's changes (and keeps it after)
   * @param dropped runs when a change was dropped
   */
  static byte[] drop(
      byte[] bytes, Function<List<ChangeHash>, ChangeHash> choose, Runnable dropped) {
    SyncMessage message = SyncMessage.decode(bytes);
    if (message.changeEntryCount() == 0) {
      return bytes;
    }
    Document scratch = Document.create(ActorId.of(new byte[] {0}), () -> 0L);
    scratch.loadIncremental(message.joinedChanges(), LoadOptions.DEFAULT);
    List<Change> changes = new ArrayList<>(scratch.changes());
    changes.addAll(scratch.queuedChanges());
    if (changes.isEmpty()) {
      return bytes;
    }
    List<ChangeHash> hashes = new ArrayList<>();
    for (Change change : changes) {
      hashes.add(change.hash());
    }
    ChangeHash poisoned = choose.apply(hashes);
    if (!hashes.contains(poisoned)) {
      return bytes;
    }
    dropped.run();
    List<byte[]> entries = new ArrayList<>();
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (Change change : changes) {
      if (!change.hash().equals(poisoned)) {
        entries.add(change.toBytes());
        change.writeTo(joined);
      }
    }
    if (message.version() == SyncMessage.Version.V2) {
      entries = entries.isEmpty() ? List.of() : List.of(joined.toByteArray());
    }
    return new SyncMessage(
            message.version(),
            message.heads(),
            message.need(),
            message.have(),
            entries,
            message.flags())
        .encode();
  }
}
