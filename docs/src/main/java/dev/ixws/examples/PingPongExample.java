package dev.ixws.examples;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "Ping/Pong support": {@code PING} and {@code PONG} messages reach the callback with
 * their payload in {@code str()}; a received ping is answered with a pong at once (unless {@code
 * disablePong()}); {@code ping(data)} sends a ping whose payload is at most 125 bytes.
 *
 * <p>The guide's "Heartbeat" ({@code setPingInterval}) is not implemented yet.
 */
public final class PingPongExample {

  private static final long TIMEOUT_SECS = 10;

  /** The payload the guide sends. */
  public static final String PING_DATA =
      "ping data, optional (empty string is ok): limited to 125 bytes long";

  /**
   * What the example observed.
   *
   * @param sent the result of {@code ping(PING_DATA)}
   * @param tooLong the result of a ping with a 126-byte payload (refused, nothing sent)
   * @param pingsAndPongs every {@code PING} and {@code PONG} received until the pong arrived
   */
  public record Result(
      WebSocketSendInfo sent, WebSocketSendInfo tooLong, List<WebSocketMessage> pingsAndPongs) {}

  private PingPongExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /** Connects to {@code url}, sends a ping and waits for the server's pong. */
  public static Result run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);
    webSocket.setPingInterval(45); // the heartbeat (guide: "Heartbeat.")

    List<WebSocketMessage> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> opened = new CompletableFuture<>();
    CompletableFuture<Void> ponged = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.PING || msg.type() == WebSocketMessageType.PONG) {
            out.accept("pong data: " + msg.str());
            received.add(msg);
            if (msg.type() == WebSocketMessageType.PONG) {
              ponged.complete(null);
            }
          } else if (msg.type() == WebSocketMessageType.OPEN) {
            opened.complete(null);
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    webSocket.start();
    opened.get(TIMEOUT_SECS, TimeUnit.SECONDS);

    // A ping message can be sent to the server, with an optional data string.
    WebSocketSendInfo sent = webSocket.ping(PING_DATA);

    // Over 125 bytes the ping is refused: a failed result, nothing is sent.
    WebSocketSendInfo tooLong = webSocket.ping("x".repeat(126));
    out.accept("126-byte ping: success=" + tooLong.success() + ", error=" + tooLong.error());

    try {
      ponged.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
    return new Result(sent, tooLong, List.copyOf(received));
  }
}
