package dev.ixws.examples;

import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's first "WebSocket client API" example: set the URL and a callback, {@code start()},
 * {@code send}, {@code sendBinary}, {@code stop()}.
 */
public final class ClientBasicExample {

  private static final long TIMEOUT_SECS = 10;

  private ClientBasicExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url}, sends a text and a binary message, and stops once two messages came
   * back (an echo server answers both).
   *
   * @return the {@code str()} of the messages received, in order
   * @throws IllegalStateException if the connection fails or the answers do not come in time
   */
  public static List<String> run(String url, Consumer<String> out) throws Exception {
    // Our websocket object
    WebSocket webSocket = new WebSocket();

    webSocket.setUrl(url);

    // Optional heart beat, sent every 45 seconds when there is not any traffic
    // to make sure that load balancers do not kill an idle connection.
    webSocket.setPingInterval(45);

    // Per message deflate connection is enabled by default. You can tweak its parameters or disable
    // it
    webSocket.disablePerMessageDeflate();

    List<String> received = new CopyOnWriteArrayList<>();
    CountDownLatch twoMessages = new CountDownLatch(2);
    CompletableFuture<Void> opened = new CompletableFuture<>();
    // Setup a callback to be fired when a message or an event (open, close, error) is received
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.MESSAGE) {
            out.accept(msg.str());
            received.add(msg.str());
            twoMessages.countDown();
          } else if (msg.type() == WebSocketMessageType.OPEN) {
            opened.complete(null); // Java addition: lets main() wait for the connection
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });

    // Now that our callback is setup, we can start our background thread and receive messages
    webSocket.start();

    // Java addition: start() returns at once, and send() fails until the connection is open.
    opened.get(TIMEOUT_SECS, TimeUnit.SECONDS);

    // Send a message to the server (default to TEXT mode)
    webSocket.send("hello world");

    // The message can be sent in BINARY mode (useful if you send MsgPack data for example)
    webSocket.sendBinary("some serialized binary data");

    // Java addition: give the server time to answer before stopping.
    if (!twoMessages.await(TIMEOUT_SECS, TimeUnit.SECONDS)) {
      webSocket.stop();
      throw new IllegalStateException("no answer to both messages within " + TIMEOUT_SECS + " s");
    }

    // ... finally ...

    // Stop the connection
    webSocket.stop();
    return List.copyOf(received);
  }
}
