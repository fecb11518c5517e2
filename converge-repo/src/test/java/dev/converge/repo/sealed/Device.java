package dev.converge.repo.sealed;

import dev.converge.core.ObjId;
import dev.converge.repo.DocHandle;
import dev.converge.repo.DocumentId;
import dev.converge.repo.Repo;
import dev.converge.repo.sealed.relay.Relay;
import java.security.SecureRandom;

/**
 * A device for the sealed-document tests: a repository in memory with its sealed state, and a
 * channel to a relay through the wire codec (so every test also round-trips the messages).
 * Randomness is a seeded SHA1PRNG, so a test replays.
 */
final class Device implements AutoCloseable {
  final Repo repo;
  final SealedRepo sealed;

  Device(long seed) {
    this.repo = Repo.inMemory();
    this.sealed = SealedRepo.inMemory(repo, SealedLimits.DEFAULT, seeded(seed));
  }

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static RelayChannel channel(Relay relay) {
    return request ->
        RelayMessageCodec.decode(
            relay.handle(RelayMessageCodec.encode(request)), SealedLimits.DEFAULT);
  }

  /** A new sealed document holding {@code key: value}; returns its share link. */
  ShareLink create(String key, String value) {
    DocHandle handle = repo.create();
    handle.change(tx -> tx.put(ObjId.ROOT, key, value));
    return sealed.seal(handle);
  }

  void put(DocumentId id, String key, String value) {
    repo.find(id).orElseThrow().change(tx -> tx.put(ObjId.ROOT, key, value));
  }

  String json(DocumentId id) {
    return repo.find(id).orElseThrow().toJson();
  }

  SyncReport sync(DocumentId id, Relay relay) {
    return sealed.sync(id, channel(relay));
  }

  @Override
  public void close() {
    sealed.close();
    repo.close();
  }
}
