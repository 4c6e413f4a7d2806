package dev.ixws.examples;

import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Sending messages": {@code websocket.send("foo")} sends a message; if the connection
 * was closed and sending failed, the result says so. IX's result is a {@code WebSocketSendInfo}
 * whose {@code success} is false; here {@link WebSocketSendInfo#success()} is false and {@link
 * WebSocketSendInfo#error()} says why. {@code send} never throws because of the connection.
 */
public final class SendingResultExample {

  private static final long TIMEOUT_SECS = 10;

  /**
   * What the example observed.
   *
   * @param whileOpen the result of {@code send("foo")} on the open connection
   * @param afterStop the result of the same call after {@code stop()}
   */
  public record Result(WebSocketSendInfo whileOpen, WebSocketSendInfo afterStop) {}

  private SendingResultExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /** Sends "foo" on an open connection, stops it, and sends "foo" again. */
  public static Result run(String url, Consumer<String> out) throws Exception {
    WebSocket websocket = new WebSocket();
    websocket.setUrl(url);
    CompletableFuture<Void> opened = new CompletableFuture<>();
    websocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            opened.complete(null);
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    websocket.start();
    opened.get(TIMEOUT_SECS, TimeUnit.SECONDS);

    WebSocketSendInfo sent = websocket.send("foo");
    out.accept("send while open: success=" + sent.success() + ", wire size=" + sent.wireSize());

    websocket.stop();

    // The connection was closed: sending fails and the result says so.
    WebSocketSendInfo failed = websocket.send("foo");
    out.accept("send after stop: success=" + failed.success() + ", error=" + failed.error());
    return new Result(sent, failed);
  }
}
