package dev.converge.net.internal;

/**
 * What we believe a peer knows of one document, as automerge-repo's DocSynchronizer tracks it: it
 * decides whether our first message is a {@code request} and when a document is unavailable.
 */
public enum PeerDocumentStatus {
  /** Nothing heard yet. */
  UNKNOWN,
  /** It sent heads, or we sent it ours: it has (or will have) the document. */
  HAS,
  /** It asked us for the document with a {@code request}. */
  WANTS,
  /** It said {@code doc-unavailable}. */
  UNAVAILABLE
}
