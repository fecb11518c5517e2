package dev.converge.sim.exhaustive;

import dev.converge.core.ChangeHash;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/** Feeds lengths, numbers and hashes into a SHA-256, each list prefixed by its length. */
final class KeyWriter {
  final MessageDigest digest = Sha256.newDigest();
  private final byte[] hash = new byte[ChangeHash.LENGTH];

  void number(int value) {
    digest.update((byte) (value >>> 24));
    digest.update((byte) (value >>> 16));
    digest.update((byte) (value >>> 8));
    digest.update((byte) value);
  }

  void hashes(List<ChangeHash> hashes) {
    number(hashes.size());
    for (ChangeHash entry : hashes) {
      entry.copyTo(hash, 0);
      digest.update(hash);
    }
  }

  void optionalHashes(Optional<List<ChangeHash>> hashes) {
    if (hashes.isPresent()) {
      hashes(hashes.get());
    } else {
      number(-1);
    }
  }
}
