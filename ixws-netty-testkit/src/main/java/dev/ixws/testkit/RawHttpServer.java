package dev.ixws.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * A TCP server on a free port of 127.0.0.1 that a test drives by hand, to play a WebSocket server
 * that answers a client's handshake with whatever the test wants (a 403, garbage, a wrong accept
 * key, masked frames...). Not thread-safe.
 */
public final class RawHttpServer implements AutoCloseable {

  private final ServerSocket serverSocket;

  /** Binds a free port of 127.0.0.1. */
  public RawHttpServer() throws IOException {
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  /** The bound port. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** Waits up to {@code timeout} for the next connection. */
  public RawConnection accept(Duration timeout) throws IOException {
    serverSocket.setSoTimeout((int) timeout.toMillis());
    return new RawConnection(serverSocket.accept());
  }

  /**
   * A valid {@code 101} answer to a request that carried {@code key}, plus {@code extraHeaders}
   * (each a full header line without CRLF).
   */
  public static String switchingProtocols(String key, String... extraHeaders) {
    StringBuilder response =
        new StringBuilder(
            "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + RawWebSocketClient.acceptFor(key)
                + "\r\n");
    for (String header : extraHeaders) {
      response.append(header).append("\r\n");
    }
    return response.append("\r\n").toString();
  }

  /** Stops listening. */
  @Override
  public void close() throws IOException {
    serverSocket.close();
  }
}
