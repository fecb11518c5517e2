package dev.converge.net.protocol;

import dev.converge.core.CorruptDataException;

/** A frame that is not a well-formed automerge-repo message: bad CBOR, a missing or wrong field. */
public final class MalformedMessageException extends CorruptDataException {
  public MalformedMessageException(String message) {
    super(message);
  }

  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
