package dev.ixws.examples;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "ReadyState": {@code getReadyState()} returns one of {@code ReadyState::Connecting},
 * {@code Open}, {@code Closing}, {@code Closed}, here {@link ReadyState#CONNECTING}, {@link
 * ReadyState#OPEN}, {@link ReadyState#CLOSING}, {@link ReadyState#CLOSED}.
 *
 * <p>The example reads the state at each step of a connection's life. To see {@code CLOSING}
 * reliably it calls {@code close()} from the {@code OPEN} callback: on the event-loop thread the
 * close frame is sent at once, so the state is {@code CLOSING} on the very next line.
 */
public final class ReadyStateExample {

  private static final long TIMEOUT_SECS = 10;

  private ReadyStateExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /**
   * Connects to {@code url}, closes from the {@code OPEN} callback and waits for {@code CLOSE}.
   *
   * @return the states read: before {@code start()}, right after it (normally {@code CONNECTING},
   *     {@code OPEN} if the handshake already finished), in the {@code OPEN} callback, right after
   *     {@code close()}, in the {@code CLOSE} callback, after {@code stop()}
   */
  public static List<ReadyState> run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);
    List<ReadyState> states = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            record(states, out, "on open", webSocket.getReadyState());
            webSocket.close();
            record(states, out, "after close()", webSocket.getReadyState());
          } else if (msg.type() == WebSocketMessageType.CLOSE) {
            record(states, out, "on close", webSocket.getReadyState());
            closed.complete(null);
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            closed.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });

    record(states, out, "before start()", webSocket.getReadyState());
    webSocket.start();
    record(states, out, "after start()", webSocket.getReadyState());
    closed.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    webSocket.stop();
    record(states, out, "after stop()", webSocket.getReadyState());
    return List.copyOf(states);
  }

  private static void record(
      List<ReadyState> states, Consumer<String> out, String when, ReadyState state) {
    states.add(state);
    out.accept(when + ": " + state);
  }
}
