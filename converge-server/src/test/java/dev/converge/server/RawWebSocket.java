package dev.converge.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client written by hand over a plain socket, for clients that misbehave on purpose: it
 * never answers pings and reads only when told to. Frames it sends are masked binary frames with an
 * all-zero mask (valid, and the payload stays readable).
 */
final class RawWebSocket implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /**
   * Opens a socket with a small receive buffer (so that a client that does not read soon stops the
   * server's writes) and completes the upgrade.
   */
  RawWebSocket(int port, String pathAndQuery) throws IOException {
    this(InetAddress.getLoopbackAddress(), port, pathAndQuery);
  }

  /**
   * As {@link #RawWebSocket(int, String)}, from local address {@code from} (on Linux any of
   * 127.0.0.0/8: a client the server sees at another address).
   */
  RawWebSocket(InetAddress from, int port, String pathAndQuery) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.setSoTimeout(30_000);
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
    String request =
        "GET "
            + pathAndQuery
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the upgrade: " + head);
      }
      head.write(b);
      String text = head.toString(StandardCharsets.US_ASCII);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
  }

  /** Sends one binary message. */
  void send(byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x82);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (((long) payload.length >>> shift) & 0xff));
      }
    }
    frame.write(new byte[4]); // the mask
    frame.write(payload);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads until the server closes the connection; returns how many bytes came. */
  long drain() throws IOException {
    long total = 0;
    byte[] buffer = new byte[1 << 16];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
    } catch (java.net.SocketException reset) {
      // A connection reset is the server hanging up too.
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
