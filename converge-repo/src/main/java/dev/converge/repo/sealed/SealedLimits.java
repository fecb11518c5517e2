package dev.converge.repo.sealed;

/**
 * Bounds on sealed-format input from a relay or a client, checked before anything is allocated from
 * a length that was read.
 *
 * @param ciphertextBytesMax the longest envelope ciphertext (its plaintext is 17 bytes shorter): a
 *     writer splits a run of changes to stay below it
 * @param memberOpBytesMax the longest member-log operation
 * @param entriesMax the most devices and invites a document may list at once
 * @param memberOpsMax the longest member log, and so the most signers a document can have had
 * @param messageBytesMax the longest relay message
 * @param envelopesPerMessageMax the most envelopes one relay message may carry
 */
public record SealedLimits(
    int ciphertextBytesMax,
    int memberOpBytesMax,
    int entriesMax,
    int memberOpsMax,
    int messageBytesMax,
    int envelopesPerMessageMax) {
  /**
   * 16 MiB envelopes, 256 KiB operations, 1,024 entries, 10,000 operations, 64 MiB messages of at
   * most 65,536 envelopes.
   */
  public static final SealedLimits DEFAULT =
      new SealedLimits(16 << 20, 256 << 10, 1024, 10_000, 64 << 20, 65_536);

  public SealedLimits {
    if (ciphertextBytesMax < 64) {
      throw new IllegalArgumentException("ciphertextBytesMax below 64: " + ciphertextBytesMax);
    }
    if (memberOpBytesMax < 1024) {
      throw new IllegalArgumentException("memberOpBytesMax below 1024: " + memberOpBytesMax);
    }
    if (entriesMax < 2 || entriesMax > 0xffff) {
      throw new IllegalArgumentException("entriesMax outside 2..65535: " + entriesMax);
    }
    if (memberOpsMax < 2 || memberOpsMax > 0xffff) {
      throw new IllegalArgumentException("memberOpsMax outside 2..65535: " + memberOpsMax);
    }
    if (messageBytesMax < ciphertextBytesMax + 1024) {
      throw new IllegalArgumentException(
          "messageBytesMax must hold one envelope: " + messageBytesMax);
    }
    if (envelopesPerMessageMax < 1) {
      throw new IllegalArgumentException(
          "envelopesPerMessageMax below 1: " + envelopesPerMessageMax);
    }
  }

  public SealedLimits withCiphertextBytesMax(int value) {
    return new SealedLimits(
        value, memberOpBytesMax, entriesMax, memberOpsMax, messageBytesMax, envelopesPerMessageMax);
  }

  public SealedLimits withMessageBytesMax(int value) {
    return new SealedLimits(
        ciphertextBytesMax,
        memberOpBytesMax,
        entriesMax,
        memberOpsMax,
        value,
        envelopesPerMessageMax);
  }

  public SealedLimits withEnvelopesPerMessageMax(int value) {
    return new SealedLimits(
        ciphertextBytesMax, memberOpBytesMax, entriesMax, memberOpsMax, messageBytesMax, value);
  }
}
