package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The member logs a {@link SealedRepo} has replayed, per document, with the epoch keys its device
 * read from them. Replaying a log checks every operation's signature and opens the device's key
 * boxes (Ed25519 and X25519 on the JDK: about 60% of a small sync's CPU when done afresh each
 * time); a log the device replayed before is checked again only from the first operation it has not
 * seen.
 *
 * <p>Why reuse is safe: each operation names its predecessor by SHA-256, so two logs whose
 * operations at index {@code n - 1} have the same hash agree on their first {@code n} operations.
 * The cache holds the replay of such a prefix and hands out copies; a stored log that is shorter,
 * or differs within the prefix (an own operation dropped after the relay refused it), is replayed
 * from the start.
 *
 * <p>Thread-safe.
 */
final class VerifiedLogs {
  /** A replayed log and the epoch keys its holder reads from it; both copies, free to change. */
  record Replayed(MemberLog log, EpochKeys keys) {}

  private final Map<DocumentId, Replayed> byDocument = new HashMap<>();

  /**
   * The log of {@code ops} for document {@code id}, and {@code holder}'s epoch keys from it.
   *
   * @throws MemberOpRejectedException at the first operation refused; nothing is cached then
   */
  synchronized Replayed replay(
      DocumentId id, List<MemberOp> ops, MemberKeyPair holder, SealedLimits limits) {
    Replayed cached = byDocument.get(id);
    MemberLog log;
    EpochKeys keys;
    if (cached != null && beginsWith(ops, cached.log()) && cached.keys().holder() == holder) {
      log = cached.log().copy();
      keys = cached.keys().copy();
      for (MemberOp op : ops.subList(log.size(), ops.size())) {
        log.apply(op);
      }
    } else {
      log = MemberLog.replay(id, ops, limits);
      keys = new EpochKeys(id, holder);
    }
    keys.update(log);
    byDocument.put(id, new Replayed(log.copy(), keys.copy()));
    return new Replayed(log, keys);
  }

  /** Whether {@code ops} begins with the operations of {@code log}. */
  private static boolean beginsWith(List<MemberOp> ops, MemberLog log) {
    int size = log.size();
    return size > 0 && size <= ops.size() && ops.get(size - 1).hash().equals(log.headHash());
  }
}
