package dev.converge.sim.exhaustive;

import dev.converge.core.ChangeHash;
import dev.converge.core.Document;
import dev.converge.core.sync.Have;
import dev.converge.core.sync.Sync;
import dev.converge.core.sync.SyncState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One replica's own state. A transition changes a {@link #copy()}; once a world holds a peer it is
 * never changed again, so worlds and {@link ExhaustiveOutcome outcomes} share it.
 */
final class ExhaustivePeer {
  /**
   * Shared with the replica's copies in other worlds until {@link #ownDocument()}: a document is
   * changed only by a local change or by a message that carries changes ({@link Sync#receive} loads
   * nothing else), and forking one for every transition cost more than all the rest.
   */
  private Document doc;

  private boolean docOwned;
  final SyncState[] states;
  int changesMade;
  int duplicatesReceived;

  /** Its number in the {@link ExhaustiveMemo}, from 0; -1 until interned there. */
  int number = -1;

  /** The number of its state without the duplicates received; -1 until interned. */
  int contentNumber = -1;

  private byte @org.jspecify.annotations.Nullable [] contentDigest;
  private byte @org.jspecify.annotations.Nullable [] digest;

  ExhaustivePeer(Document doc, int replicas) {
    this.doc = doc;
    this.docOwned = true;
    this.states = new SyncState[replicas];
    for (int p = 0; p < replicas; p++) {
      states[p] = new SyncState();
    }
  }

  private ExhaustivePeer(ExhaustivePeer source) {
    doc = source.doc;
    states = new SyncState[source.states.length];
    for (int p = 0; p < states.length; p++) {
      states[p] = source.states[p].copy();
    }
    changesMade = source.changesMade;
    duplicatesReceived = source.duplicatesReceived;
  }

  ExhaustivePeer copy() {
    return new ExhaustivePeer(this);
  }

  Document doc() {
    return doc;
  }

  /**
   * Replaces this peer's document by the one {@code documents} holds for the same replica and
   * content, if any (else records it there); for peers that no world holds yet.
   */
  void internDocument(Map<ByteBuffer, Document> documents, int replica) {
    KeyWriter key = new KeyWriter();
    key.number(replica);
    key.hashes(doc.heads());
    List<ChangeHash> queued = new ArrayList<>();
    for (var change : doc.queuedChanges()) {
      queued.add(change.hash());
    }
    key.hashes(queued);
    Document mine = doc;
    doc = documents.computeIfAbsent(ByteBuffer.wrap(key.digest.digest()), unused -> mine);
    docOwned = false;
  }

  /** The document, forked first (with its actor and queued changes) if it is shared. */
  Document ownDocument() {
    if (!docOwned) {
      Document shared = doc;
      doc = shared.fork(shared.actor());
      doc.applyChanges(shared.queuedChanges());
      docOwned = true;
    }
    return doc;
  }

  /**
   * A SHA-256 of everything of this replica that decides what it does next except how many
   * duplicates it received, which only limits the duplicates it may still receive (the state keys
   * keep that count apart, see {@link ExhaustiveSync}).
   */
  byte[] contentDigest() {
    byte[] cached = contentDigest;
    if (cached == null) {
      KeyWriter key = new KeyWriter();
      key.hashes(doc.heads());
      List<ChangeHash> queued = new ArrayList<>();
      for (var change : doc.queuedChanges()) {
        queued.add(change.hash());
      }
      key.hashes(queued);
      key.number(changesMade);
      for (SyncState state : states) {
        key.hashes(state.sharedHeads());
        key.hashes(state.lastSentHeads());
        key.optionalHashes(state.theirHeads());
        key.optionalHashes(state.theirNeed());
        Optional<List<Have>> have = state.theirHave();
        key.number(have.map(List::size).orElse(-1));
        for (Have entry : have.orElse(List.of())) {
          key.hashes(entry.lastSync());
          byte[] bloom = entry.bloom().toBytes();
          key.number(bloom.length);
          key.digest.update(bloom);
        }
        key.hashes(new ArrayList<>(new TreeSet<>(state.sentHashes())));
        key.hashes(state.sentDocumentHeads());
        key.number(
            (state.inFlight() ? 1 : 0)
                | (state.haveResponded() ? 2 : 0)
                | (state.peerSupportsV2() ? 4 : 0)
                | (state.peerSupportsSyncReset() ? 8 : 0)
                | (state.isReadOnly() ? 16 : 0)
                | (state.isPeerReadOnly() ? 32 : 0));
      }
      cached = key.digest.digest();
      contentDigest = cached;
    }
    return cached;
  }

  /** The content digest and the duplicates received: the replica's whole state, for the memo. */
  byte[] digest() {
    byte[] cached = digest;
    if (cached == null) {
      KeyWriter key = new KeyWriter();
      key.digest.update(contentDigest());
      key.number(duplicatesReceived);
      cached = key.digest.digest();
      digest = cached;
    }
    return cached;
  }
}
