package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;

/**
 * The epoch keys one member-log entry can read, recovered from the log with its private box key:
 * the keys boxed to it (by the genesis, its add or join, and every removal while it was an entry),
 * and every older key, unwrapped from the newer one through the removals' wraps. A key boxed to it
 * that does not open (a box another member sealed wrongly) is skipped; its epoch is then unreadable
 * unless a newer key wraps it.
 *
 * <p>Not thread-safe.
 */
final class EpochKeys {
  private final DocumentId documentId;
  private final MemberKeyPair holder;
  private final Map<Long, byte[]> keys = new HashMap<>();
  private final Map<Long, ByteString> wraps = new HashMap<>();
  private long epoch;
  private int seen;

  EpochKeys(DocumentId documentId, MemberKeyPair holder) {
    this.documentId = documentId;
    this.holder = holder;
  }

  /** A copy that can be updated without changing this one. */
  EpochKeys copy() {
    EpochKeys copy = new EpochKeys(documentId, holder);
    copy.keys.putAll(keys);
    copy.wraps.putAll(wraps);
    copy.epoch = epoch;
    copy.seen = seen;
    return copy;
  }

  MemberKeyPair holder() {
    return holder;
  }

  /** Reads the operations of {@code log} this has not seen yet. */
  void update(MemberLog log) {
    List<MemberOp> ops = log.opsFrom(seen);
    for (MemberOp op : ops) {
      observe(op);
    }
    seen += ops.size();
    for (long e = latest(); e > 1; e--) {
      byte[] newer = keys.get(e);
      ByteString wrap = wraps.get(e);
      if (newer == null || wrap == null || keys.containsKey(e - 1)) {
        continue;
      }
      try {
        keys.put(e - 1, KeyBoxes.unwrap(documentId, e, newer, wrap));
      } catch (AEADBadTagException e1) {
        // A removal that wrapped garbage: the older epoch stays unreadable through this path.
        var unused = e1;
      }
    }
  }

  private void observe(MemberOp op) {
    MemberOp.Body body = op.body();
    if (body instanceof MemberOp.Genesis genesis) {
      epoch = 1;
      take(genesis.ephemeral(), genesis.box());
    } else if (body instanceof MemberOp.Add add) {
      take(add.ephemeral(), add.box());
    } else if (body instanceof MemberOp.Join join) {
      take(join.ephemeral(), join.box());
    } else if (body instanceof MemberOp.Remove remove) {
      epoch++;
      wraps.put(epoch, remove.wrappedPrevious());
      for (KeyBox box : remove.boxes()) {
        take(remove.ephemeral(), box);
      }
    } else {
      throw new AssertionError(body);
    }
  }

  private void take(ByteString ephemeral, KeyBox box) {
    if (!box.recipient().equals(holder.publicKey().signKey())) {
      return;
    }
    try {
      keys.put(epoch, KeyBoxes.open(documentId, epoch, ephemeral, box, holder));
    } catch (AEADBadTagException e) {
      // Sealed to our name but not to our key: the epoch stays unreadable unless wrapped later.
      var unused = e;
    }
  }

  /** The key of {@code forEpoch}, if this holder can read that epoch. */
  Optional<byte[]> key(long forEpoch) {
    byte[] key = keys.get(forEpoch);
    return key == null ? Optional.empty() : Optional.of(key.clone());
  }

  /** The newest epoch whose key this holder has; 0 if none. */
  long latest() {
    long latest = 0;
    for (long e : keys.keySet()) {
      latest = Math.max(latest, e);
    }
    return latest;
  }
}
