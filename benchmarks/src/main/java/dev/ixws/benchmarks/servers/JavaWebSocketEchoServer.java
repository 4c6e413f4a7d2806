package dev.ixws.benchmarks.servers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Echo server on Java-WebSocket 1.6.0 (org.java-websocket), as its README shows it. Run: {@code
 * java -cp benchmarks.jar dev.ixws.benchmarks.servers.JavaWebSocketEchoServer PORT}.
 */
public final class JavaWebSocketEchoServer extends WebSocketServer {

  private final CountDownLatch started = new CountDownLatch(1);

  private JavaWebSocketEchoServer(int port) {
    super(new InetSocketAddress("127.0.0.1", port));
    setReuseAddr(true);
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {}

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

  @Override
  public void onMessage(WebSocket conn, String message) {
    conn.send(message);
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    conn.send(message);
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {}

  @Override
  public void onStart() {
    started.countDown();
  }

  /** Starts the server on {@code port} (0: any free port) of 127.0.0.1. */
  public static RunningServer start(int port) throws InterruptedException {
    JavaWebSocketEchoServer server = new JavaWebSocketEchoServer(port);
    server.start();
    server.started.await();
    return new RunningServer() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() {
        try {
          server.stop(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /**
   * Runs until killed.
   *
   * @param args the port
   */
  public static void main(String[] args) throws InterruptedException {
    RunningServer server = start(EchoServers.port(args));
    EchoServers.ready(server.port());
    Thread.currentThread().join();
  }
}
