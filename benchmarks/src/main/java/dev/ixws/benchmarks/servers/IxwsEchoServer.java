package dev.ixws.benchmarks.servers;

import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.server.WebSocketServer;

/**
 * Echo server on this library: {@link WebSocketServer} with a large backlog and connection limit,
 * echoing on the event loop (binary as binary, text as text). Run: {@code java -cp benchmarks.jar
 * dev.ixws.benchmarks.servers.IxwsEchoServer PORT [--tls CERT KEY]}; prints {@code PORT n} when
 * listening. With {@code --tls} it serves {@code wss://} with the library's engine choice ({@code
 * -Ddev.ixws.tls.engine=boringssl|jdk}).
 */
public final class IxwsEchoServer {

  private IxwsEchoServer() {}

  /** Starts the server on {@code port} (0: any free port) of 127.0.0.1. */
  public static RunningServer start(int port) {
    return start(port, null);
  }

  /** Starts the server, over TLS with {@code tls} = {certificate file, key file} when not null. */
  public static RunningServer start(int port, String[] tls) {
    WebSocketServer server =
        new WebSocketServer(port, "127.0.0.1", EchoServers.BACKLOG, 1_000_000, 30);
    server.setMaxMessageSize(EchoServers.MAX_MESSAGE);
    if (tls != null) {
      server.setTLSOptions(
          SocketTLSOptions.builder().tls(true).certFile(tls[0]).keyFile(tls[1]).build());
    }
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                (WebSocketMessage msg) -> {
                  if (msg.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.send(msg); // in the same mode, bytes as received
                  }
                }));
    var result = server.listen();
    if (!result.ok()) {
      throw new IllegalStateException("cannot listen: " + result);
    }
    server.start();
    return new RunningServer() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() {
        server.stop();
      }
    };
  }

  /**
   * Runs until killed.
   *
   * @param args the port, then {@code --tls CERT KEY} for {@code wss://}
   */
  public static void main(String[] args) throws InterruptedException {
    RunningServer server = start(EchoServers.port(args), EchoServers.tlsFiles(args));
    EchoServers.ready(server.port());
    Thread.currentThread().join();
  }
}
