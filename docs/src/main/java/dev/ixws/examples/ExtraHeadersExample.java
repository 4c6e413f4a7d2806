package dev.ixws.examples;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketOpenInfo;
import dev.ixws.client.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Supply extra HTTP headers": headers sent with the opening handshake. IX's {@code
 * headers["foo"] = "bar"} on a map becomes a call on an immutable {@link WebSocketHttpHeaders}'s
 * builder; {@code setExtraHeaders} also accepts a {@code Map<String, String>}.
 */
public final class ExtraHeadersExample {

  private static final long TIMEOUT_SECS = 10;

  private ExtraHeadersExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url} with the header {@code foo: bar}, then stops.
   *
   * @return the open info of the connection
   */
  public static WebSocketOpenInfo run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);

    WebSocketHttpHeaders headers = WebSocketHttpHeaders.builder().set("foo", "bar").build();
    webSocket.setExtraHeaders(headers);

    CompletableFuture<WebSocketOpenInfo> opened = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            opened.complete(msg.openInfo());
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    webSocket.start();
    try {
      WebSocketOpenInfo openInfo = opened.get(TIMEOUT_SECS, TimeUnit.SECONDS);
      out.accept("connected with extra headers " + headers);
      return openInfo;
    } finally {
      webSocket.stop();
    }
  }
}
