package dev.ixws.benchmarks.servers;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * Echo server on Vert.x 5.0.7 core: an HTTP server with a WebSocket handler that writes each
 * message back (native transport preferred, as for the other Netty-based servers). Run: {@code java
 * -cp benchmarks.jar dev.ixws.benchmarks.servers.VertxEchoServer PORT [--tls CERT KEY]}. With
 * {@code --tls} it serves {@code wss://} from the PEM files ({@link PemKeyCertOptions}) with
 * BoringSSL ({@link OpenSSLEngineOptions}, tcnative) or the JDK's engine ({@code
 * -Ddev.ixws.tls.engine=jdk}), the same switch as our server's.
 */
public final class VertxEchoServer {

  private VertxEchoServer() {}

  /** Starts the server on {@code port} (0: any free port) of 127.0.0.1. */
  public static RunningServer start(int port) throws Exception {
    return start(port, null);
  }

  /** Starts the server, over TLS with {@code tls} = {certificate file, key file} when not null. */
  public static RunningServer start(int port, String[] tls) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    HttpServerOptions options =
        new HttpServerOptions()
            .setAcceptBacklog(EchoServers.BACKLOG)
            .setMaxWebSocketFrameSize(EchoServers.MAX_MESSAGE)
            .setMaxWebSocketMessageSize(EchoServers.MAX_MESSAGE);
    if (tls != null) {
      options
          .setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls[0]).setKeyPath(tls[1]))
          .setSslEngineOptions(
              EchoServers.jdkEngine() ? new JdkSSLEngineOptions() : new OpenSSLEngineOptions());
    }
    HttpServer server =
        vertx
            .createHttpServer(options)
            .webSocketHandler(
                ws -> {
                  ws.binaryMessageHandler(ws::writeBinaryMessage);
                  ws.textMessageHandler(ws::writeTextMessage);
                })
            .listen(port, "127.0.0.1")
            .await();
    return new RunningServer() {
      @Override
      public int port() {
        return server.actualPort();
      }

      @Override
      public void close() {
        vertx.close().await();
      }
    };
  }

  /**
   * Runs until killed.
   *
   * @param args the port, then {@code --tls CERT KEY} for {@code wss://}
   */
  public static void main(String[] args) throws Exception {
    RunningServer server = start(EchoServers.port(args), EchoServers.tlsFiles(args));
    EchoServers.ready(server.port());
    Thread.currentThread().join();
  }
}
