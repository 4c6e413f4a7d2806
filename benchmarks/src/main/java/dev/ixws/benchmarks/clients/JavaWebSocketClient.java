package dev.ixws.benchmarks.clients;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** Java-WebSocket 1.6.0 client driver: one {@link WebSocketClient} per connection. */
public final class JavaWebSocketClient extends EchoClientDriver {

  @Override
  protected String name() {
    return "java-websocket";
  }

  @Override
  protected CompletableFuture<Connection> connect(URI url, LoadOptions options, Receiver receiver) {
    CompletableFuture<Connection> ready = new CompletableFuture<>();
    WebSocketClient client =
        new WebSocketClient(url) {
          @Override
          public void onOpen(ServerHandshake handshake) {
            WebSocketClient self = this;
            ready.complete(
                new Connection() {
                  @Override
                  public void sendBinary(byte[] payload) {
                    self.send(payload);
                  }

                  @Override
                  public void sendText(String payload) {
                    self.send(payload);
                  }
                });
          }

          @Override
          public void onMessage(String message) {
            receiver.onText(message);
          }

          @Override
          public void onMessage(ByteBuffer bytes) {
            receiver.onBinary(bytes);
          }

          @Override
          public void onClose(int code, String reason, boolean remote) {
            ready.completeExceptionally(new IllegalStateException("closed " + code));
            receiver.onError(new IllegalStateException("closed " + code));
          }

          @Override
          public void onError(Exception ex) {
            ready.completeExceptionally(ex);
            receiver.onError(ex);
          }
        };
    client.connect();
    return ready;
  }

  /**
   * Runs the load and prints JSON.
   *
   * @param args see {@link LoadOptions}
   */
  public static void main(String[] args) throws Exception {
    new JavaWebSocketClient().runMain(args);
  }
}
