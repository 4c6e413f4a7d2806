package dev.ixws.benchmarks.clients;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Jetty 12.1 WebSocket client driver: one started {@link WebSocketClient} for all connections. */
public final class JettyClient extends EchoClientDriver {

  private final WebSocketClient client = new WebSocketClient();

  /** Starts the shared Jetty client. */
  public JettyClient() throws Exception {
    client.setMaxBinaryMessageSize(64L * 1024 * 1024);
    client.setMaxTextMessageSize(64L * 1024 * 1024);
    client.setIdleTimeout(java.time.Duration.ofMinutes(10));
    client.start();
  }

  @Override
  protected String name() {
    return "jetty";
  }

  @Override
  protected CompletableFuture<Connection> connect(URI url, LoadOptions options, Receiver receiver)
      throws Exception {
    return client
        .connect(new Endpoint(receiver), url)
        .thenApply(
            session ->
                new Connection() {
                  @Override
                  public void sendBinary(byte[] payload) {
                    session.sendBinary(ByteBuffer.wrap(payload), Callback.NOOP);
                  }

                  @Override
                  public void sendText(String payload) {
                    session.sendText(payload, Callback.NOOP);
                  }
                });
  }

  /** Hands each echo to the driver. */
  public static final class Endpoint implements Session.Listener.AutoDemanding {
    private final Receiver receiver;

    Endpoint(Receiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      receiver.onBinary(payload);
      callback.succeed();
    }

    @Override
    public void onWebSocketText(String message) {
      receiver.onText(message);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      receiver.onError(cause);
    }
  }

  /**
   * Runs the load and prints JSON.
   *
   * @param args see {@link LoadOptions}
   */
  public static void main(String[] args) throws Exception {
    new JettyClient().runMain(args);
  }
}
