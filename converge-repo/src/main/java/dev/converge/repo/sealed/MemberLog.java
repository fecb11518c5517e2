package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import dev.converge.repo.sealed.MemberOpRejectedException.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sealed document's member log, replayed: which devices and invites are members now, which were
 * and until when, and the current epoch. {@link #apply} checks each operation (format, document,
 * chain, signature, who may do what, the boxes of a removal) before it changes anything, so the
 * relay can keep the log honest without holding any document key.
 *
 * <p>Rules: the first operation is a genesis, which makes its signer the first device in epoch 1;
 * devices add devices and invites and remove entries; an invite only joins, adding a device; a key
 * is added once, and never again after its removal; the last device is never removed; a removal
 * starts the next epoch and boxes its key to exactly the remaining entries, in key order.
 *
 * <p>Not thread-safe: callers hold their own lock.
 */
public final class MemberLog {
  /** A current entry. */
  public record Entry(MemberKey key, EntryKind kind, long addedEpoch) {}

  /** A former entry: a member during epochs {@code addedEpoch} to {@code removedEpoch - 1}. */
  public record Former(
      MemberKey key, EntryKind kind, long addedEpoch, long removedEpoch, long finalSeq) {}

  private final DocumentId documentId;
  private final SealedLimits limits;
  private final List<MemberOp> ops = new ArrayList<>();
  private final TreeMap<ByteString, Entry> entries = new TreeMap<>();
  private final Map<ByteString, Former> formers = new HashMap<>();
  private long epoch;

  private MemberLog(DocumentId documentId, SealedLimits limits) {
    this.documentId = documentId;
    this.limits = limits;
  }

  /** The log of {@code documentId} before its genesis. */
  public static MemberLog empty(DocumentId documentId, SealedLimits limits) {
    return new MemberLog(documentId, limits);
  }

  /**
   * The log replayed from {@code ops}.
   *
   * @throws MemberOpRejectedException at the first operation it refuses
   */
  public static MemberLog replay(DocumentId documentId, List<MemberOp> ops, SealedLimits limits) {
    MemberLog log = empty(documentId, limits);
    for (MemberOp op : ops) {
      log.apply(op);
    }
    return log;
  }

  /** A copy that can be changed without changing this one. */
  public MemberLog copy() {
    MemberLog copy = new MemberLog(documentId, limits);
    copy.ops.addAll(ops);
    copy.entries.putAll(entries);
    copy.formers.putAll(formers);
    copy.epoch = epoch;
    return copy;
  }

  /**
   * Checks {@code op} against the log and appends it.
   *
   * @throws MemberOpRejectedException if it is refused; the log is unchanged then
   */
  public void apply(MemberOp op) {
    if (!op.documentId().equals(documentId)) {
      throw refuse(Reason.WRONG_DOCUMENT, op, "is for document " + op.documentId());
    }
    if (op.index() != ops.size() || !op.previous().equals(headHash())) {
      throw refuse(
          Reason.LOG_MOVED,
          op,
          "is not on top of the log (its index "
              + op.index()
              + ", the log holds "
              + ops.size()
              + " operations)");
    }
    if (ops.size() >= limits.memberOpsMax()) {
      throw refuse(Reason.LIMIT, op, "would make the log longer than " + limits.memberOpsMax());
    }
    if (!op.hasValidSignature()) {
      throw refuse(Reason.BAD_SIGNATURE, op, "has a signature that is not its signer's");
    }
    MemberOp.Body body = op.body();
    if (body instanceof MemberOp.Genesis genesis) {
      applyGenesis(op, genesis);
    } else if (body instanceof MemberOp.Add add) {
      requireSigner(op, EntryKind.DEVICE);
      requireNew(op, add.member(), add.box());
      entries.put(add.member().signKey(), new Entry(add.member(), add.entryKind(), epoch));
    } else if (body instanceof MemberOp.Join join) {
      requireSigner(op, EntryKind.INVITE);
      requireNew(op, join.member(), join.box());
      entries.put(join.member().signKey(), new Entry(join.member(), EntryKind.DEVICE, epoch));
    } else if (body instanceof MemberOp.Remove remove) {
      applyRemove(op, remove);
    } else {
      throw new AssertionError(body);
    }
    ops.add(op);
  }

  private void applyGenesis(MemberOp op, MemberOp.Genesis genesis) {
    MemberKey creator = new MemberKey(op.signer(), genesis.boxKey());
    if (!genesis.box().recipient().equals(op.signer())) {
      throw refuse(Reason.INVALID, op, "boxes epoch 1's key to another key than its signer");
    }
    if (!KeyBoxes.isUsable(creator.boxKey())) {
      throw refuse(Reason.INVALID, op, "names a box key that cannot receive keys");
    }
    epoch = 1;
    entries.put(creator.signKey(), new Entry(creator, EntryKind.DEVICE, epoch));
  }

  private void applyRemove(MemberOp op, MemberOp.Remove remove) {
    requireSigner(op, EntryKind.DEVICE);
    Entry removed = entries.get(remove.removed());
    if (removed == null) {
      throw refuse(Reason.INVALID, op, "removes " + remove.removed() + ", which is no entry");
    }
    List<ByteString> remaining = new ArrayList<>();
    int devicesLeft = 0;
    for (Entry entry : entries.values()) {
      if (!entry.key().signKey().equals(remove.removed())) {
        remaining.add(entry.key().signKey());
        devicesLeft += entry.kind() == EntryKind.DEVICE ? 1 : 0;
      }
    }
    if (devicesLeft == 0) {
      throw refuse(Reason.INVALID, op, "would remove the last device");
    }
    List<ByteString> boxed = new ArrayList<>();
    for (KeyBox box : remove.boxes()) {
      boxed.add(box.recipient());
    }
    if (!boxed.equals(remaining)) {
      throw refuse(
          Reason.INVALID,
          op,
          "boxes the new key to "
              + boxed.size()
              + " keys, expected exactly the "
              + remaining.size()
              + " remaining entries in key order");
    }
    if (removed.kind() == EntryKind.INVITE && remove.finalSeq() != 0) {
      throw refuse(Reason.INVALID, op, "gives an invite a final sequence number");
    }
    entries.remove(remove.removed());
    epoch++;
    formers.put(
        remove.removed(),
        new Former(removed.key(), removed.kind(), removed.addedEpoch(), epoch, remove.finalSeq()));
  }

  private void requireSigner(MemberOp op, EntryKind kind) {
    Entry signer = entries.get(op.signer());
    if (signer == null || signer.kind() != kind) {
      throw refuse(
          Reason.NOT_ALLOWED,
          op,
          "is signed by "
              + op.signer()
              + ", which is not "
              + (kind == EntryKind.DEVICE ? "a device" : "an invite")
              + " of the document now");
    }
  }

  private void requireNew(MemberOp op, MemberKey member, KeyBox box) {
    if (entries.containsKey(member.signKey()) || formers.containsKey(member.signKey())) {
      throw refuse(Reason.INVALID, op, "adds " + member.signKey() + ", which was added before");
    }
    if (!box.recipient().equals(member.signKey())) {
      throw refuse(Reason.INVALID, op, "boxes the key to another key than the one it adds");
    }
    if (entries.size() >= limits.entriesMax()) {
      throw refuse(Reason.LIMIT, op, "would list more than " + limits.entriesMax() + " entries");
    }
    if (!KeyBoxes.isUsable(member.boxKey())) {
      throw refuse(Reason.INVALID, op, "names a box key that cannot receive keys");
    }
  }

  private MemberOpRejectedException refuse(Reason reason, MemberOp op, String what) {
    return new MemberOpRejectedException(reason, op + " " + what);
  }

  public DocumentId documentId() {
    return documentId;
  }

  /** How many operations the log holds. */
  public int size() {
    return ops.size();
  }

  /** The hash of the last operation, zeros for an empty log. */
  public ByteString headHash() {
    return ops.isEmpty()
        ? ByteString.wrap(new byte[MemberOp.HASH_BYTES])
        : ops.get(ops.size() - 1).hash();
  }

  /** The current epoch; 0 before the genesis. */
  public long epoch() {
    return epoch;
  }

  public List<MemberOp> ops() {
    return List.copyOf(ops);
  }

  /** The operations from index {@code from} on. */
  public List<MemberOp> opsFrom(int from) {
    return List.copyOf(ops.subList(Math.min(from, ops.size()), ops.size()));
  }

  /** The current entries, in the order of their Ed25519 keys. */
  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  public Optional<Entry> entry(ByteString signKey) {
    return Optional.ofNullable(entries.get(signKey));
  }

  public Optional<Former> former(ByteString signKey) {
    return Optional.ofNullable(formers.get(signKey));
  }

  /** Every key that ever was a device: the signers whose envelopes may exist. */
  public Set<ByteString> devicesEver() {
    Set<ByteString> devices = new HashSet<>();
    entries.values().stream()
        .filter(entry -> entry.kind() == EntryKind.DEVICE)
        .forEach(entry -> devices.add(entry.key().signKey()));
    formers.values().stream()
        .filter(former -> former.kind() == EntryKind.DEVICE)
        .forEach(former -> devices.add(former.key().signKey()));
    return devices;
  }

  /**
   * Whether a reader accepts an envelope from {@code signer} in {@code envelopeEpoch} with sequence
   * number {@code seq}: a device during that epoch (from the epoch it was added in, up to now or up
   * to its removal), and if removed, numbered at most its final sequence number.
   */
  public boolean mayHaveWritten(ByteString signer, long envelopeEpoch, long seq) {
    Entry entry = entries.get(signer);
    if (entry != null) {
      return entry.kind() == EntryKind.DEVICE
          && envelopeEpoch >= entry.addedEpoch()
          && envelopeEpoch <= epoch;
    }
    Former former = formers.get(signer);
    return former != null
        && former.kind() == EntryKind.DEVICE
        && envelopeEpoch >= former.addedEpoch()
        && envelopeEpoch < former.removedEpoch()
        && seq <= former.finalSeq();
  }

  /** Whether {@code signer} may seal a new envelope now: a current device, in the current epoch. */
  public boolean mayWriteNow(ByteString signer, long envelopeEpoch) {
    Entry entry = entries.get(signer);
    return entry != null && entry.kind() == EntryKind.DEVICE && envelopeEpoch == epoch;
  }
}
