package dev.converge.repo.sealed.relay;

import dev.converge.repo.sealed.ByteString;
import java.util.Objects;

/**
 * What the relay keeps of one envelope: the fields routing needs, and the bytes it forwards.
 *
 * @param envelopeId the envelope's ID, 16 bytes
 * @param signer the signer's Ed25519 key
 * @param seq the signer's sequence number
 * @param epoch the epoch it was sealed under
 * @param bytes the whole envelope
 */
record StoredEnvelope(
    ByteString envelopeId, ByteString signer, long seq, long epoch, ByteString bytes) {
  StoredEnvelope {
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(bytes, "bytes");
  }
}
