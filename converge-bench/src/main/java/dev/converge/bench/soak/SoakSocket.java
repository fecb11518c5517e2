package dev.converge.bench.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An attacker's WebSocket: a plain socket from a chosen loopback address, a hand-written upgrade
 * (with a bearer token, or none), and masked binary frames of any size. It reads only when told:
 * {@link #drainInBackground} for a client that reads and discards, nothing for one that never reads
 * (its 4 KiB receive buffer then fills at once).
 */
final class SoakSocket implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /**
   * Connects from {@code from} to the server's port and upgrades.
   *
   * @throws IOException if the connection or the upgrade fails (refused, 401, closed)
   */
  SoakSocket(InetAddress from, int port, String token) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.setSoTimeout(30_000);
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
    String request =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + (token.isEmpty() ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead();
    if (!head.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(head));
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the upgrade");
      }
      head.write(b);
      if (head.size() >= 4 && head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  /** Sends one binary message with an all-zero mask. */
  void send(byte[] payload) throws IOException {
    sendHeader(payload.length);
    out.write(payload);
    out.flush();
  }

  /** Sends {@code count} copies of one binary message in a single write. */
  void sendMany(byte[] payload, int count) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream((payload.length + 14) * count);
    for (int i = 0; i < count; i++) {
      writeHeader(all, payload.length);
      all.writeBytes(payload);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /**
   * Sends the header of a binary message of {@code length} bytes, then {@code length} zero bytes,
   * in pieces: a frame far larger than any buffer on either side.
   */
  void sendZeros(long length) throws IOException {
    sendHeader(length);
    byte[] chunk = new byte[1 << 16];
    for (long sent = 0; sent < length; sent += chunk.length) {
      out.write(chunk, 0, (int) Math.min(chunk.length, length - sent));
    }
    out.flush();
  }

  private void sendHeader(long length) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(14);
    writeHeader(header, length);
    out.write(header.toByteArray());
  }

  private static void writeHeader(ByteArrayOutputStream header, long length) {
    header.write(0x82);
    if (length < 126) {
      header.write(0x80 | (int) length);
    } else if (length < 65536) {
      header.write(0x80 | 126);
      header.write((int) (length >>> 8));
      header.write((int) (length & 0xff));
    } else {
      header.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        header.write((int) ((length >>> shift) & 0xff));
      }
    }
    header.write(new byte[4], 0, 4);
  }

  /**
   * The next data message from the server, fragments joined (pings and pongs skipped); empty at a
   * close frame or the end of the stream.
   */
  Optional<byte[]> readMessage() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int first = in.read();
      int second = in.read();
      if (first < 0 || second < 0) {
        return Optional.empty();
      }
      long length = second & 0x7f;
      if (length == 126) {
        length = ((long) readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
      }
      if (length > 64L << 20) {
        throw new IOException("a frame of " + length + " bytes from the server");
      }
      byte[] payload = in.readNBytes((int) length);
      if (payload.length < length) {
        return Optional.empty();
      }
      int opcode = first & 0x0f;
      if (opcode == 0x8) {
        return Optional.empty();
      }
      if (opcode == 0x9 || opcode == 0xa) {
        continue;
      }
      message.writeBytes(payload);
      if ((first & 0x80) != 0) {
        return Optional.of(message.toByteArray());
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("end of stream inside a frame header");
    }
    return b;
  }

  /** Reads and discards everything on a daemon thread until the server closes. */
  void drainInBackground() {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[1 << 16];
              try {
                while (in.read(buffer) >= 0) {
                  // discarded: a client that reads, not one that understands
                }
              } catch (IOException closed) {
                // the server hung up, or this side closed
              }
            },
            "soak-drain");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the server has closed: reads until end of stream or {@code millis} of silence. */
  boolean closedWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    byte[] buffer = new byte[1 << 16];
    try {
      while (in.read(buffer) >= 0) {
        // skip what comes before the close
      }
      return true;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a socket that is already broken
    }
  }
}
