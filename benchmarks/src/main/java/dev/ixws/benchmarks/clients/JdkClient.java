package dev.ixws.benchmarks.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * JDK {@code java.net.http.WebSocket} client driver: one shared {@link HttpClient}; sends are
 * chained because the JDK allows one outstanding send per WebSocket.
 */
public final class JdkClient extends EchoClientDriver {

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  protected String name() {
    return "jdk";
  }

  @Override
  protected CompletableFuture<Connection> connect(URI url, LoadOptions options, Receiver receiver) {
    return http.newWebSocketBuilder()
        .buildAsync(url, new Listener(receiver))
        .thenApply(
            ws ->
                new Connection() {
                  private CompletableFuture<WebSocket> last = CompletableFuture.completedFuture(ws);

                  @Override
                  public synchronized void sendBinary(byte[] payload) {
                    last = last.thenCompose(w -> w.sendBinary(ByteBuffer.wrap(payload), true));
                  }

                  @Override
                  public synchronized void sendText(String payload) {
                    last = last.thenCompose(w -> w.sendText(payload, true));
                  }
                });
  }

  private static final class Listener implements WebSocket.Listener {
    private final Receiver receiver;
    private ByteBuffer partialBinary;
    private StringBuilder partialText;

    Listener(Receiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      if (partialBinary == null && last) {
        receiver.onBinary(data);
      } else {
        ByteBuffer acc = partialBinary == null ? ByteBuffer.allocate(0) : partialBinary;
        ByteBuffer grown = ByteBuffer.allocate(acc.remaining() + data.remaining());
        grown.put(acc).put(data).flip();
        partialBinary = grown;
        if (last) {
          receiver.onBinary(partialBinary);
          partialBinary = null;
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (partialText == null && last) {
        receiver.onText(data);
      } else {
        if (partialText == null) {
          partialText = new StringBuilder();
        }
        partialText.append(data);
        if (last) {
          receiver.onText(partialText);
          partialText = null;
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      receiver.onError(error);
    }
  }

  /**
   * Runs the load and prints JSON.
   *
   * @param args see {@link LoadOptions}
   */
  public static void main(String[] args) throws Exception {
    new JdkClient().runMain(args);
  }
}
