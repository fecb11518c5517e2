package dev.converge.server.inspector;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses (403) a request to a loopback-bound inspector whose {@code Host} header names anything
 * but a loopback name. A web page elsewhere can point a DNS name of its own at 127.0.0.1 and then
 * read the inspector from the user's browser ("DNS rebinding"); the browser still sends that name
 * as {@code Host}, so only {@code localhost}, {@code 127.0.0.1} and {@code [::1]} are served.
 */
final class LoopbackHostCheck extends Handler.Wrapper {
  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  LoopbackHostCheck(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null || !LOOPBACK_NAMES.contains(hostName(host))) {
      response.setStatus(HttpStatus.FORBIDDEN_403);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(
          response,
          true,
          "the inspector answers only to localhost, 127.0.0.1 or [::1], not to "
              + BadRequestException.shown(host == null ? "" : host)
              + "\n",
          callback);
      return true;
    }
    return super.handle(request, response, callback);
  }

  /** The host of a Host header, without its port; lower case. */
  static String hostName(String header) {
    String host = header.strip().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
