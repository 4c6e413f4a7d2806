package dev.ixws.examples;

import dev.ixws.ListenResult;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "TLS support and configuration": a {@code wss://} URL uses TLS by itself; {@code
 * setTLSOptions} gives the certificate and key (a server needs them, with {@code tls = true}) and
 * the trusted roots ({@code caFile}: a file, PEM text, {@code SYSTEM} or {@code NONE}). Here a
 * server with a certificate signed by a private CA, and a client that trusts that CA.
 */
public final class TlsExample {

  private static final long TIMEOUT_SECS = 10;

  private TlsExample() {}

  /**
   * Runs the example with the PEM files given as {@code args}: server certificate chain, server
   * key, CA certificate.
   */
  public static void main(String[] args) throws Exception {
    run(args[0], args[1], args[2], System.out::println);
  }

  /**
   * Starts a TLS echo server on a free port with {@code certFile} and {@code keyFile}, connects a
   * client trusting {@code caFile} to {@code wss://localhost:PORT/}, sends one message and returns
   * its echo.
   */
  public static String run(String certFile, String keyFile, String caFile, Consumer<String> out)
      throws Exception {
    WebSocketServer server = new WebSocketServer(0);
    server.setTLSOptions(
        SocketTLSOptions.builder()
            .certFile(certFile)
            .keyFile(keyFile)
            .tls(true) // required in server mode
            .build());
    server.setOnClientMessageCallback(
        (state, webSocket, msg) -> {
          if (msg.type() == WebSocketMessageType.MESSAGE) {
            webSocket.send(msg.str());
          }
        });
    ListenResult listen = server.listen();
    if (!listen.ok()) {
      throw new IllegalStateException(listen.errorMessage());
    }
    server.start();

    WebSocket webSocket = new WebSocket();
    webSocket.setUrl("wss://localhost:" + server.getPort() + "/");
    webSocket.setTLSOptions(
        SocketTLSOptions.builder()
            .caFile(caFile) // as a file, or in memory buffer in PEM format
            .build());
    CompletableFuture<String> echo = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            webSocket.send("hello over TLS");
          } else if (msg.type() == WebSocketMessageType.MESSAGE) {
            out.accept("received: " + msg.str());
            echo.complete(msg.str());
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            echo.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    webSocket.start();
    try {
      return echo.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
      server.stop();
    }
  }
}
