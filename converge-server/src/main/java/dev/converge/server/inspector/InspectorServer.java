package dev.converge.server.inspector;

import dev.converge.repo.Repo;
import java.net.URI;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP server that serves only the {@link Inspector} of one repository: {@code converge ui}.
 * Bound to a loopback address, it answers only requests addressed to a loopback name ({@link
 * LoopbackHostCheck}).
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called once each, from one thread.
 */
public final class InspectorServer implements AutoCloseable {
  private final Inspector inspector;
  private final Server jetty;
  private final ServerConnector connector;
  private final String host;

  private InspectorServer(Repo repo, String host, int port) {
    this.host = host;
    this.inspector = Inspector.over(repo);
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("converge-inspector");
    threads.setDaemon(true);
    this.jetty = new Server(threads);
    this.connector = new ServerConnector(jetty);
    connector.setHost(host);
    connector.setPort(port);
    jetty.addConnector(connector);
    ContextHandler context = new ContextHandler("/");
    Handler routes = new Handler.Sequence(inspector.handler(), new NotFound());
    context.setHandler(isLoopback(host) ? new LoopbackHostCheck(routes) : routes);
    jetty.setHandler(context);
    jetty.setStopTimeout(2_000);
  }

  static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      // Jetty will fail to bind it and say so at start.
      return false;
    }
  }

  /**
   * Serves the inspector of {@code repo} on {@code host}:{@code port} (0 picks a free port).
   *
   * @throws IllegalStateException if the port cannot be bound (the cause says why)
   */
  public static InspectorServer start(Repo repo, String host, int port) {
    InspectorServer server = new InspectorServer(repo, host, port);
    try {
      server.jetty.start();
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return server;
  }

  /** The port bound. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The inspector's address, {@code http://HOST:PORT/}. */
  public URI url() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port() + "/");
  }

  /** Stops serving and ends the live streams; the repository stays open. */
  @Override
  public void close() {
    inspector.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the inspector's server failed", e);
    }
  }

  /** Every path the inspector does not know. */
  private static final class NotFound extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      response.setStatus(HttpStatus.NOT_FOUND_404);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, "not found\n", callback);
      return true;
    }
  }
}
