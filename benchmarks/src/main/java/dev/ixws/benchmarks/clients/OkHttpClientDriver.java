package dev.ixws.benchmarks.clients;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/** OkHttp 5 client driver: one shared {@link OkHttpClient}, {@code newWebSocket} per connection. */
public final class OkHttpClientDriver extends EchoClientDriver {

  private final OkHttpClient http =
      new OkHttpClient.Builder()
          .readTimeout(0, TimeUnit.MILLISECONDS)
          .connectTimeout(60, TimeUnit.SECONDS)
          .build();

  /** A driver with one shared client whose dispatcher allows every connection at once. */
  public OkHttpClientDriver() {
    http.dispatcher().setMaxRequests(1_000_000);
    http.dispatcher().setMaxRequestsPerHost(1_000_000);
  }

  @Override
  protected String name() {
    return "okhttp";
  }

  @Override
  protected CompletableFuture<Connection> connect(URI url, LoadOptions options, Receiver receiver) {
    CompletableFuture<Connection> ready = new CompletableFuture<>();
    String httpUrl = url.toString().replaceFirst("^ws", "http");
    http.newWebSocket(
        new Request.Builder().url(httpUrl).build(),
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            ready.complete(
                new Connection() {
                  @Override
                  public void sendBinary(byte[] payload) {
                    ws.send(ByteString.of(payload));
                  }

                  @Override
                  public void sendText(String payload) {
                    ws.send(payload);
                  }
                });
          }

          @Override
          public void onMessage(WebSocket ws, ByteString bytes) {
            receiver.onBinary(bytes.asByteBuffer());
          }

          @Override
          public void onMessage(WebSocket ws, String text) {
            receiver.onText(text);
          }

          @Override
          public void onFailure(WebSocket ws, Throwable t, Response response) {
            ready.completeExceptionally(t);
            receiver.onError(t);
          }
        });
    return ready;
  }

  /**
   * Runs the load and prints JSON.
   *
   * @param args see {@link LoadOptions}
   */
  public static void main(String[] args) throws Exception {
    new OkHttpClientDriver().runMain(args);
  }
}
