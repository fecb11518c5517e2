package dev.converge.repo.sealed;

import dev.converge.core.Change;
import dev.converge.core.ChangeHash;
import dev.converge.core.LimitExceededException;
import dev.converge.repo.DocHandle;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Seals the changes of a document that no envelope covers yet, as this device's next envelopes.
 *
 * <p>What goes in one: when nothing of the document is covered yet, the whole document as one
 * document chunk (Automerge's columnar form, far smaller than the changes one by one: the first
 * upload of a long history costs about what a plaintext sync of it costs); otherwise runs of change
 * chunks in causal order, each envelope up to the ciphertext limit. Envelopes are applied in
 * sequence order, so a run's dependencies on earlier runs are always there.
 */
final class Sealer {
  private Sealer() {}

  /**
   * Seals what {@code handle} has beyond {@code document.covered}, numbered after {@code
   * document.ownSeq}, under the current epoch, and stores the envelopes with the new counter and
   * coverage in one transaction. Returns how many envelopes it made.
   *
   * @throws LimitExceededException if one change alone is longer than an envelope can hold
   */
  static int sealPending(
      SealedDocument document,
      DocHandle handle,
      SealedStore store,
      SealedLimits limits,
      SecureRandom random) {
    long epoch = document.log.epoch();
    byte[] key =
        document
            .epochKey(epoch)
            .orElseThrow(() -> new IllegalStateException("a writer holds its epoch's key"));
    int plaintextMax = limits.ciphertextBytesMax() - 1 - Aead.TAG_BYTES;
    List<byte[]> payloads = new ArrayList<>();
    List<List<ChangeHash>> coveredAfter = new ArrayList<>();
    synchronized (handle) {
      List<Change> pending = handle.changesSince(document.covered);
      if (pending.isEmpty()) {
        return 0;
      }
      byte[] whole =
          document.covered.isEmpty() && !handle.hasWaitingChanges() ? handle.save() : null;
      if (whole != null && whole.length <= plaintextMax) {
        payloads.add(whole);
        coveredAfter.add(handle.heads());
      } else {
        runs(pending, document.covered, plaintextMax, payloads, coveredAfter);
      }
    }
    List<SealedStore.OwnEnvelope> sealed = new ArrayList<>();
    long seq = document.ownSeq;
    List<ChangeHash> before = document.covered;
    EnvelopeWriter writer = new EnvelopeWriter(document.id, epoch, key, document.device);
    for (int i = 0; i < payloads.size(); i++) {
      seq++;
      Envelope envelope = writer.seal(seq, payloads.get(i), random);
      sealed.add(new SealedStore.OwnEnvelope(seq, epoch, envelope, before));
      before = coveredAfter.get(i);
    }
    store.recordSealed(document.id, sealed, seq, before);
    document.ownSeq = seq;
    document.covered = before;
    return sealed.size();
  }

  /** Splits {@code pending} into runs of change chunks, each at most {@code bytesMax}. */
  private static void runs(
      List<Change> pending,
      List<ChangeHash> covered,
      int bytesMax,
      List<byte[]> payloads,
      List<List<ChangeHash>> coveredAfter) {
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    List<Change> inRun = new ArrayList<>();
    List<ChangeHash> heads = covered;
    for (Change change : pending) {
      if (change.byteLength() > bytesMax) {
        throw new LimitExceededException(
            "change "
                + change.hash()
                + " of "
                + change.byteLength()
                + " bytes is longer than an envelope holds ("
                + bytesMax
                + ")");
      }
      if (run.size() + change.byteLength() > bytesMax) {
        payloads.add(run.toByteArray());
        heads = extend(heads, inRun);
        coveredAfter.add(heads);
        run.reset();
        inRun.clear();
      }
      change.writeTo(run);
      inRun.add(change);
    }
    payloads.add(run.toByteArray());
    coveredAfter.add(extend(heads, inRun));
  }

  /**
   * The heads of what {@code heads} cover plus {@code added}, whose dependencies are all covered or
   * added: a covered head stops being one when an added change depends on it, and an added change
   * is a head unless another added change depends on it.
   */
  static List<ChangeHash> extend(List<ChangeHash> heads, List<Change> added) {
    Set<ChangeHash> result = new LinkedHashSet<>(heads);
    Set<ChangeHash> depended = new HashSet<>();
    for (Change change : added) {
      result.add(change.hash());
      depended.addAll(change.deps());
    }
    result.removeAll(depended);
    List<ChangeHash> sorted = new ArrayList<>(result);
    sorted.sort(null);
    return List.copyOf(sorted);
  }
}
