package dev.converge.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.converge.net.spi.ConnectionHandler;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebSocketConnection} with a stand-in Jetty session (a dynamic proxy that answers every
 * call with nothing): the handler hears of a close on the server's threads, never on the thread
 * that reported it. Jetty reports a failed write's close from inside the send that failed, and that
 * send runs under a document's lock; the handler's {@code onClose} takes the sync layer's lock of
 * all documents, which another thread holds while it waits for that document's. The hostile-client
 * soak deadlocked every server thread that way (issue 16).
 */
class WebSocketConnectionTest {
  @TempDir Path data;

  private static Session session() {
    return (Session)
        Proxy.newProxyInstance(
            Session.class.getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) -> {
              Class<?> type = method.getReturnType();
              if (method.getName().equals("getRemoteSocketAddress")) {
                return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 40000);
              } else if (type == boolean.class) {
                return false;
              } else if (type == int.class || type == long.class) {
                return type == int.class ? (Object) 0 : (Object) 0L;
              }
              return null;
            });
  }

  @Test
  void onWebSocketClose_tellsTheHandlerOnTheServersThreads_notOnTheReportingOne() throws Exception {
    CompletableFuture<String> closedOn = new CompletableFuture<>();
    ConnectionHandler handler =
        new ConnectionHandler() {
          @Override
          public void onFrame(byte[] frame) {}

          @Override
          public void onClose(String reason) {
            closedOn.complete(Thread.currentThread().getName() + " " + reason);
          }
        };
    Set<WebSocketConnection> live = ConcurrentHashMap.newKeySet();
    ExecutorService executor =
        Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "server-thread"));
    try {
      WebSocketConnection connection =
          new WebSocketConnection(
              accepted -> handler,
              ServerOptions.defaults(data, 0),
              Optional.empty(),
              live,
              new MemoryBudget(1 << 20),
              executor);
      connection.onWebSocketOpen(session());
      assertEquals(Set.of(connection), live);
      connection.onWebSocketClose(1006, "write failed", Callback.NOOP);
      String closed = closedOn.get(10, TimeUnit.SECONDS);
      assertEquals("server-thread 1006 write failed", closed);
      assertNotEquals(Thread.currentThread().getName(), closed.split(" ", 2)[0]);
      assertEquals(Set.of(), live);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void messageInPieces_isHandedOnWhole_countedTwiceInTheBudgetWhileHandled() throws Exception {
    MemoryBudget budget = new MemoryBudget(1 << 20);
    long[] heldWhileHandled = new long[1];
    byte[][] handled = new byte[1][];
    ConnectionHandler handler =
        new ConnectionHandler() {
          @Override
          public void onFrame(byte[] frame) {
            handled[0] = frame;
            heldWhileHandled[0] = budget.heldBytes();
          }

          @Override
          public void onClose(String reason) {}
        };
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      WebSocketConnection connection =
          new WebSocketConnection(
              accepted -> handler,
              ServerOptions.defaults(data, 0),
              Optional.empty(),
              ConcurrentHashMap.newKeySet(),
              budget,
              executor);
      connection.onWebSocketOpen(session());
      connection.onWebSocketPartialBinary(
          java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), false, Callback.NOOP);
      assertEquals(3, budget.heldBytes());
      connection.onWebSocketPartialBinary(
          java.nio.ByteBuffer.wrap(new byte[] {4, 5}), true, Callback.NOOP);
      org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, handled[0]);
      assertEquals(10, heldWhileHandled[0], "the message and the copy decoding makes of it");
      assertEquals(0, budget.heldBytes());
    } finally {
      executor.shutdownNow();
    }
  }
}
