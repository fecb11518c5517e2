package dev.converge.sim.exhaustive;

import dev.converge.core.sync.SyncMessage;

/**
 * A message in flight, decoded once from its bytes as its receiver would, with the digest the state
 * key uses; never changed once sent.
 */
final class InFlightMessage {
  final SyncMessage decoded;
  final byte[] digest;

  /** Its number in the {@link ExhaustiveMemo}, from 0; -1 until interned there. */
  int number = -1;

  InFlightMessage(byte[] bytes) {
    this.decoded = SyncMessage.decode(bytes);
    this.digest = Sha256.of(bytes);
  }
}
