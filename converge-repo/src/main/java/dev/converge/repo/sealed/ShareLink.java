package dev.converge.repo.sealed;

import dev.converge.core.ConvergeException;
import dev.converge.core.CorruptDataException;
import dev.converge.repo.Base58Check;
import dev.converge.repo.DocumentId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An invite to a sealed document: {@code converge-sealed:DOCUMENT_ID#SECRET}. The secret, in the
 * URL's fragment (never sent to a server), holds the private keys of an invite entry of the
 * document's member log: whoever has the link can read the document and join it, until a member
 * removes the invite. {@link #toString} leaves the secret out; {@link #toText} is the link.
 *
 * @param documentId the document
 * @param signSeed the invite's Ed25519 seed, 32 bytes
 * @param boxScalar the invite's X25519 private key, 32 bytes
 */
public record ShareLink(DocumentId documentId, ByteString signSeed, ByteString boxScalar) {
  /** The scheme of a share link. */
  public static final String SCHEME = "converge-sealed:";

  private static final byte SECRET_VERSION = 1;
  private static final int TEXT_LENGTH_MAX = 256;

  public ShareLink {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(signSeed, "signSeed");
    Objects.requireNonNull(boxScalar, "boxScalar");
    if (signSeed.length() != Ed25519.KEY_BYTES || boxScalar.length() != X25519.KEY_BYTES) {
      throw new IllegalArgumentException("an invite secret holds two 32-byte keys");
    }
  }

  static ShareLink of(DocumentId documentId, MemberKeyPair invite) {
    return new ShareLink(
        documentId, ByteString.wrap(invite.signSeed()), ByteString.wrap(invite.boxScalar()));
  }

  /** Whether {@code text} looks like a share link (it may still fail to {@link #parse}). */
  public static boolean looksLikeLink(String text) {
    return text.startsWith(SCHEME);
  }

  /**
   * The link written as {@code text}.
   *
   * @throws ConvergeException of kind INVALID_ARGUMENT if it is not one
   */
  public static ShareLink parse(String text) {
    if (text.length() > TEXT_LENGTH_MAX || !text.startsWith(SCHEME)) {
      throw invalid(text, "expected " + SCHEME + "DOCUMENT_ID#SECRET", null);
    }
    int hash = text.indexOf('#');
    if (hash < 0) {
      throw invalid(text, "it has no #SECRET", null);
    }
    DocumentId documentId;
    byte[] secret;
    try {
      documentId = DocumentId.parse(text.substring(SCHEME.length(), hash));
    } catch (CorruptDataException e) {
      throw invalid(text, e.getMessage(), e);
    }
    try {
      secret = Base58Check.decode(text.substring(hash + 1));
    } catch (CorruptDataException e) {
      // The decoder's message quotes its input, the secret: say only that it did not decode.
      throw invalid(text, "its secret is not base58check", null);
    }
    if (secret.length != 1 + Ed25519.KEY_BYTES + X25519.KEY_BYTES || secret[0] != SECRET_VERSION) {
      throw invalid(text, "its secret holds " + secret.length + " bytes, expected 65", null);
    }
    return new ShareLink(
        documentId,
        ByteString.of(secret, 1, Ed25519.KEY_BYTES),
        ByteString.of(secret, 1 + Ed25519.KEY_BYTES, X25519.KEY_BYTES));
  }

  private static ConvergeException invalid(
      String text, @Nullable String why, @Nullable Throwable cause) {
    // Never the secret in a message: it would end up in logs and terminals.
    int hash = text.indexOf('#');
    String shown = hash < 0 ? Quote.of(text) : Quote.of(text.substring(0, hash)) + "#...";
    String message = "not a share link: " + shown + (why == null ? "" : " (" + why + ")");
    return cause == null
        ? new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, message)
        : new ConvergeException(ConvergeException.Kind.INVALID_ARGUMENT, message, cause);
  }

  /** The link, secret included. */
  public String toText() {
    byte[] secret = new byte[1 + Ed25519.KEY_BYTES + X25519.KEY_BYTES];
    secret[0] = SECRET_VERSION;
    System.arraycopy(signSeed.unsafeArray(), 0, secret, 1, Ed25519.KEY_BYTES);
    System.arraycopy(boxScalar.unsafeArray(), 0, secret, 1 + Ed25519.KEY_BYTES, X25519.KEY_BYTES);
    return SCHEME + documentId + "#" + Base58Check.encode(secret);
  }

  /** The invite's public box key, which finds its entry in the member log. */
  ByteString boxKey() {
    return ByteString.wrap(X25519.publicKey(boxScalar.toArray()));
  }

  /** The link without its secret, safe for logs. */
  @Override
  public String toString() {
    return SCHEME + documentId + "#(secret)";
  }
}
