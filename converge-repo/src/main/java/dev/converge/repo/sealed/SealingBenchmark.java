package dev.converge.repo.sealed;

import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Measurements for the {@code converge bench-sealed} command, which needs the package's sealing
 * primitive; not part of the API (its name says so), and not used by the database itself.
 *
 * <p>Each measurement gives the wall time and the CPU time of the calling thread (read from the
 * {@code threadCpuNanos} clock the caller passes): on a machine shared with other work the wall
 * time says little, and the CPU time is the cost on one core.
 *
 * <p>Not thread-safe: call from one thread.
 */
public final class SealingBenchmark {
  private SealingBenchmark() {}

  /**
   * What sealing a number of changes took.
   *
   * @param changes how many changes were sealed
   * @param envelopes in how many envelopes, each signed
   * @param nanos the wall time it took
   * @param cpuNanos the calling thread's CPU time it took
   */
  public record SealRate(int changes, int envelopes, long nanos, long cpuNanos) {
    /** Changes per second of wall time. */
    public double changesPerSecond() {
      return changes * 1e9 / Math.max(1, nanos);
    }

    /** Changes per second of the thread's CPU time: the rate on one core. */
    public double changesPerCpuSecond() {
      return changes * 1e9 / Math.max(1, cpuNanos);
    }
  }

  /**
   * Seals and signs {@code changes} (Automerge change chunks) in envelopes of {@code runLength}
   * consecutive changes (the last may hold fewer), as a device does that syncs after every {@code
   * runLength} changes, under a fresh device key and epoch key. The primitive alone: nothing is
   * stored.
   */
  public static SealRate seal(
      List<byte[]> changes, int runLength, SecureRandom random, LongSupplier threadCpuNanos) {
    requireRunLength(runLength);
    MemberKeyPair signer = MemberKeyPair.generate(random);
    byte[] epochKey = new byte[32];
    random.nextBytes(epochKey);
    DocumentId documentId = DocumentId.random(new SplittableRandom(random.nextLong()));
    long cpuStart = threadCpuNanos.getAsLong();
    long start = System.nanoTime();
    EnvelopeWriter writer = new EnvelopeWriter(documentId, 1, epochKey, signer);
    long seq = 0;
    for (int first = 0; first < changes.size(); first += runLength) {
      ByteArrayOutputStream run = new ByteArrayOutputStream();
      for (byte[] change : changes.subList(first, Math.min(changes.size(), first + runLength))) {
        run.write(change, 0, change.length);
      }
      seq++;
      writer.seal(seq, run.toByteArray(), random);
    }
    return new SealRate(
        changes.size(),
        (int) seq,
        System.nanoTime() - start,
        threadCpuNanos.getAsLong() - cpuStart);
  }

  /**
   * A device's whole sealing path: makes {@code count} small changes (one key-value put each) to a
   * sealed document of a repository in {@code directory}, and after every {@code runLength} of them
   * seals what is pending as the next envelopes and stores them, with the counter and coverage, in
   * one transaction of {@code sealed.sqlite} there (as a sync does before pushing). Times the
   * sealing and storing only, not the edits.
   */
  public static SealRate sealOnDevice(
      int count, int runLength, Path directory, SecureRandom random, LongSupplier threadCpuNanos) {
    requireRunLength(runLength);
    try (Repo repo = Repo.open(directory);
        SealedRepo sealed = SealedRepo.open(repo, directory, SealedLimits.DEFAULT, random)) {
      DocHandle handle = repo.create();
      handle.change(tx -> tx.put(ObjId.ROOT, "start", 0));
      sealed.seal(handle);
      // The first envelope holds the whole document (one put); what follows is runs of changes.
      sealed.sealPending(handle.id());
      long nanos = 0;
      long cpuNanos = 0;
      int envelopes = 0;
      for (int done = 0; done < count; ) {
        int run = Math.min(runLength, count - done);
        for (int i = 0; i < run; i++) {
          int n = done + i;
          handle.change(tx -> tx.put(ObjId.ROOT, "k" + (n % 16), n));
        }
        done += run;
        long cpuStart = threadCpuNanos.getAsLong();
        long start = System.nanoTime();
        envelopes += sealed.sealPending(handle.id());
        nanos += System.nanoTime() - start;
        cpuNanos += threadCpuNanos.getAsLong() - cpuStart;
      }
      return new SealRate(count, envelopes, nanos, cpuNanos);
    }
  }

  private static void requireRunLength(int runLength) {
    if (runLength < 1) {
      throw new IllegalArgumentException("run length below 1: " + runLength);
    }
  }
}
