package dev.converge.server;

import dev.converge.server.inspector.Inspector;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The inspector's door on {@code converge serve}: without a token file it lets everyone in (as the
 * WebSocket does: whoever can reach the port can read every document anyway); with one, only a
 * token whose name an {@code admin} line lists. Browsers present it by HTTP Basic authentication
 * (any user name, the secret as the password: the browser asks once and sends it with every request
 * of the page, the event stream included); scripts may send {@code Authorization: Bearer SECRET}.
 * No token, or an unknown one, is answered 401 with a Basic challenge; a known token without {@code
 * admin} 403. Other paths go on to the next handler untouched.
 *
 * <p>Thread-safety: immutable.
 */
final class InspectorGate extends Handler.Wrapper {
  private static final String CHALLENGE = "Basic realm=\"converge inspector\", charset=\"UTF-8\"";

  private final @Nullable AccessRules access;

  InspectorGate(Handler inspector, @Nullable AccessRules access) {
    super(inspector);
    this.access = access;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!Inspector.serves(Request.getPathInContext(request))) {
      return false;
    }
    AccessRules rules = access;
    if (rules != null) {
      Optional<String> name = secret(request).flatMap(rules::authenticate);
      if (name.isEmpty()) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        refuse(
            response,
            callback,
            HttpStatus.UNAUTHORIZED_401,
            "an administrator's token is required");
        return true;
      }
      if (!rules.isAdmin(name.get())) {
        refuse(
            response, callback, HttpStatus.FORBIDDEN_403, name.get() + " is not an administrator");
        return true;
      }
    }
    return super.handle(request, response, callback);
  }

  /** The secret of a Basic (the password) or Bearer Authorization header. */
  static Optional<String> secret(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.of(header.substring(7).trim());
    }
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
    }
    return Optional.empty();
  }

  private static void refuse(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    Content.Sink.write(response, true, message + "\n", callback);
  }
}
