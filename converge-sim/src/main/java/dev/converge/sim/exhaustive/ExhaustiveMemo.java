package dev.converge.sim.exhaustive;

import dev.converge.core.Document;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the search remembers besides the states it saw: the outcome of each replica transition, and
 * one object per distinct replica state and message, numbered, so that outcomes and state keys are
 * looked up by small numbers instead of digests.
 *
 * <p>Two replica states get the same number exactly when they belong to the same replica and their
 * digests ({@link ExhaustivePeer#digest()}) are equal, and two messages when their bytes' SHA-256
 * are equal; keys made of the numbers therefore tell states apart exactly as keys made of the
 * digests did.
 */
final class ExhaustiveMemo {
  /**
   * By replica state number, step kind, sender and message number: what the transition produced.
   */
  final Map<Long, ExhaustiveOutcome> outcomes = new HashMap<>();

  /**
   * By replica, heads and queued changes: one document for all the peers that hold that content,
   * since every fork allocates its own pages (64 KiB at least).
   */
  private final Map<ByteBuffer, Document> documents = new HashMap<>();

  /** By replica and digest: the one object for each replica state, numbered in order. */
  private final Map<ByteBuffer, ExhaustivePeer> peers = new HashMap<>();

  /** By replica and content digest: the number of each replica state without its duplicates. */
  private final Map<ByteBuffer, Integer> contents = new HashMap<>();

  /** By digest: the one object for each message, numbered in order. */
  private final Map<ByteBuffer, InFlightMessage> messages = new HashMap<>();

  /** The key of a transition's outcome in {@link #outcomes}. */
  static long outcomeKey(
      ExhaustivePeer peer, StepKind kind, int from, Optional<InFlightMessage> message) {
    int messageNumber = message.map(sent -> sent.number + 1).orElse(0);
    if (peer.number < 0 || messageNumber >= 1 << 26) {
      throw new IllegalStateException(
          "peer " + peer.number + " or message " + messageNumber + " is not numbered or too big");
    }
    return ((long) peer.number << 32) | ((long) messageNumber << 6) | (kind.code << 3) | from;
  }

  /**
   * The one object for {@code peer}'s state at {@code replica}: an earlier equal one, or {@code
   * peer} itself, numbered, its document shared with other peers of the same content.
   */
  ExhaustivePeer intern(ExhaustivePeer peer, int replica) {
    ByteBuffer key = keyOf(replica, peer.digest());
    ExhaustivePeer known = peers.get(key);
    if (known != null) {
      return known;
    }
    peer.internDocument(documents, replica);
    peer.number = peers.size();
    peer.contentNumber =
        contents.computeIfAbsent(keyOf(replica, peer.contentDigest()), unused -> contents.size());
    peers.put(key, peer);
    return peer;
  }

  /** The one object for each message sent, numbered. */
  List<Optional<InFlightMessage>> intern(List<Optional<InFlightMessage>> sent) {
    return sent.stream().map(message -> message.map(this::intern)).toList();
  }

  private InFlightMessage intern(InFlightMessage message) {
    return messages.computeIfAbsent(
        ByteBuffer.wrap(message.digest),
        unused -> {
          message.number = messages.size();
          return message;
        });
  }

  int outcomeCount() {
    return outcomes.size();
  }

  private static ByteBuffer keyOf(int replica, byte[] digest) {
    return ByteBuffer.allocate(1 + digest.length).put((byte) replica).put(digest).flip();
  }
}
