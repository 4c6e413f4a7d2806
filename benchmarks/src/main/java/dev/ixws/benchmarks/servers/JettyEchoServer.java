package dev.ixws.benchmarks.servers;

import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Echo server on Jetty 12.1 WebSocket (Jetty's own API, no servlet), as its documentation shows it.
 * Run: {@code java -cp benchmarks.jar dev.ixws.benchmarks.servers.JettyEchoServer PORT}.
 */
public final class JettyEchoServer {

  private JettyEchoServer() {}

  /** Echoes each message back; Jetty's buffer is released once the echo is written. */
  public static final class Echo implements Session.Listener.AutoDemanding {
    private Session session;

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      session.sendBinary(payload, callback);
    }

    @Override
    public void onWebSocketText(String message) {
      session.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      // a client that goes away at the end of a run: nothing to report
    }
  }

  /** Starts the server on {@code port} (0: any free port) of 127.0.0.1. */
  public static RunningServer start(int port) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(EchoServers.BACKLOG);
    server.addConnector(connector);
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              container.setMaxBinaryMessageSize(EchoServers.MAX_MESSAGE);
              container.setMaxTextMessageSize(EchoServers.MAX_MESSAGE);
              container.setIdleTimeout(java.time.Duration.ofMinutes(10));
              container.addMapping("/", (request, response, callback) -> new Echo());
            }));
    server.start();
    return new RunningServer() {
      @Override
      public int port() {
        return connector.getLocalPort();
      }

      @Override
      public void close() {
        try {
          server.stop();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  /**
   * Runs until killed.
   *
   * @param args the port
   */
  public static void main(String[] args) throws Exception {
    RunningServer server = start(EchoServers.port(args));
    EchoServers.ready(server.port());
    Thread.currentThread().join();
  }
}
