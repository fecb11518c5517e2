package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measurements for the {@code converge bench-sealed} command, which needs the package's sealing
 * primitive; not part of the API (its name says so), and not used by the database itself.
 *
 * <p>Not thread-safe: call from one thread.
 */
public final class SealingBenchmark {
  private SealingBenchmark() {}

  /**
   * What sealing a list of changes took.
   *
   * @param changes how many changes were sealed
   * @param envelopes in how many envelopes, each signed
   * @param envelopeBytes their size in all
   * @param nanos the time it took
   */
  public record SealRate(int changes, int envelopes, long envelopeBytes, long nanos) {
    /** Changes per second. */
    public double changesPerSecond() {
      return changes * 1e9 / Math.max(1, nanos);
    }
  }

  /**
   * Seals and signs {@code changes} (Automerge change chunks) in envelopes of {@code runLength}
   * consecutive changes (the last may hold fewer), as a device does that syncs after every {@code
   * runLength} changes, under a fresh device key and epoch key.
   */
  public static SealRate seal(List<byte[]> changes, int runLength, SecureRandom random) {
    if (runLength < 1) {
      throw new IllegalArgumentException("run length below 1: " + runLength);
    }
    MemberKeyPair signer = MemberKeyPair.generate(random);
    byte[] epochKey = new byte[32];
    random.nextBytes(epochKey);
    DocumentId documentId = DocumentId.random(new SplittableRandom(random.nextLong()));
    long bytes = 0;
    long start = System.nanoTime();
    long seq = 0;
    for (int first = 0; first < changes.size(); first += runLength) {
      java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
      for (byte[] change : changes.subList(first, Math.min(changes.size(), first + runLength))) {
        run.write(change, 0, change.length);
      }
      seq++;
      bytes +=
          EnvelopeSeal.seal(documentId, 1, epochKey, signer, seq, run.toByteArray(), random).size();
    }
    return new SealRate(changes.size(), (int) seq, bytes, System.nanoTime() - start);
  }
}
