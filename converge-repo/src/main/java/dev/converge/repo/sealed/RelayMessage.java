package dev.converge.repo.sealed;

import dev.converge.repo.DocumentId;
import java.util.List;
import java.util.Objects;

/**
 * The messages of the relay protocol (docs/sealed.md, "Relay protocol"), one document each. The
 * member operations and envelopes they carry are their encodings, decoded (with limits) by whoever
 * acts on them. {@link RelayMessageCodec} writes and reads them.
 */
public sealed interface RelayMessage {
  DocumentId documentId();

  /** Client to relay: what the client holds. */
  record Have(DocumentId documentId, int memberOpCount, ByteString memberHead, VersionVector vector)
      implements RelayMessage {
    public Have {
      Objects.requireNonNull(documentId, "documentId");
      Objects.requireNonNull(memberHead, "memberHead");
      Objects.requireNonNull(vector, "vector");
      if (memberOpCount < 0 || memberHead.length() != MemberOp.HASH_BYTES) {
        throw new IllegalArgumentException("bad member log summary");
      }
    }
  }

  /**
   * Relay to client: the operations from index {@code opsFrom} on (the client's log is a prefix of
   * the relay's up to there), the relay's vector, and envelopes the client lacks; {@code more} when
   * a byte budget left some out.
   */
  record Offer(
      DocumentId documentId,
      boolean known,
      int opsFrom,
      List<ByteString> ops,
      VersionVector vector,
      List<ByteString> envelopes,
      boolean more)
      implements RelayMessage {
    public Offer {
      Objects.requireNonNull(documentId, "documentId");
      Objects.requireNonNull(vector, "vector");
      ops = List.copyOf(ops);
      envelopes = List.copyOf(envelopes);
      if (opsFrom < 0) {
        throw new IllegalArgumentException("opsFrom below 0: " + opsFrom);
      }
    }
  }

  /** Client to relay: operations to append (in order), then envelopes to store. */
  record Push(DocumentId documentId, List<ByteString> ops, List<ByteString> envelopes)
      implements RelayMessage {
    public Push {
      Objects.requireNonNull(documentId, "documentId");
      ops = List.copyOf(ops);
      envelopes = List.copyOf(envelopes);
    }
  }

  /** What the relay refused of a push, by position. */
  record Refusal(boolean envelope, int index, RefusalReason reason, String message) {
    public Refusal {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      if (index < 0) {
        throw new IllegalArgumentException("index below 0: " + index);
      }
    }
  }

  /**
   * Relay to client: how many of the pushed operations it appended (a prefix), what it refused, and
   * its vector afterwards.
   */
  record Pushed(
      DocumentId documentId, int opsAccepted, List<Refusal> refusals, VersionVector vector)
      implements RelayMessage {
    public Pushed {
      Objects.requireNonNull(documentId, "documentId");
      Objects.requireNonNull(vector, "vector");
      refusals = List.copyOf(refusals);
    }
  }

  /** Relay to client: the request could not be handled at all. */
  record RelayError(DocumentId documentId, RefusalReason reason, String message)
      implements RelayMessage {
    public RelayError {
      Objects.requireNonNull(documentId, "documentId");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
