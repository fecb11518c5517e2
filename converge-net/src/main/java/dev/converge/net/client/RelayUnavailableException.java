package dev.converge.net.client;

import dev.converge.core.ConvergeException;

/**
 * The server does not relay sealed documents: it answered a plain request sent after a sealed one
 * before answering the sealed one, which a server with a relay always answers first. Nothing was
 * sent or changed for the sealed document.
 */
public final class RelayUnavailableException extends ConvergeException {
  private static final long serialVersionUID = 1L;

  /** For the server {@code server} (as the dialer describes it). */
  public RelayUnavailableException(String server) {
    super(Kind.UNSUPPORTED, server + " does not relay sealed documents");
  }
}
