package dev.ixws.examples;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

  /**
   * The states read at each step.
   *
   * @param beforeStart before {@code start()}: {@code CLOSED}
   * @param afterStart right after {@code start()}: normally {@code CONNECTING}, {@code OPEN} if the
   *     handshake already finished
   * @param onOpen in the {@code OPEN} callback: {@code OPEN}
   * @param afterClose in the {@code OPEN} callback, right after {@code close()}: {@code CLOSING}
   * @param onClose in the {@code CLOSE} callback: {@code CLOSED}
   * @param afterStop after {@code stop()}: {@code CLOSED}
   */
  public record Result(
      ReadyState beforeStart,
      ReadyState afterStart,
      ReadyState onOpen,
      ReadyState afterClose,
      ReadyState onClose,
      ReadyState afterStop) {}

  private ReadyStateExample() {}

  /** Runs the example against {@code args[0]} (default {@code ws://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "ws://localhost:8080/", System.out::println);
  }

  /** Connects to {@code url}, closes from the {@code OPEN} callback and waits for {@code CLOSE}. */
  public static Result run(String url, Consumer<String> out) throws Exception {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(url);

    // The callback runs on the event-loop thread, while this thread goes on after start(): each
    // state read there has its own future, so nothing depends on which thread reads first.
    CompletableFuture<ReadyState> onOpen = new CompletableFuture<>();
    CompletableFuture<ReadyState> afterClose = new CompletableFuture<>();
    CompletableFuture<ReadyState> onClose = new CompletableFuture<>();
    CountDownLatch afterStartRead = new CountDownLatch(1);
    webSocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            onOpen.complete(webSocket.getReadyState());
            // Close only once this thread has read the state after start(), or that read could
            // see CLOSING (the handshake and this callback may both finish before it).
            awaitQuietly(afterStartRead);
            webSocket.close();
            afterClose.complete(webSocket.getReadyState());
          } else if (msg.type() == WebSocketMessageType.CLOSE) {
            onClose.complete(webSocket.getReadyState());
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            onClose.completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });

    ReadyState beforeStart = webSocket.getReadyState();
    webSocket.start();
    ReadyState afterStart = webSocket.getReadyState();
    afterStartRead.countDown();
    ReadyState closed;
    try {
      closed = onClose.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    } finally {
      webSocket.stop();
    }
    ReadyState afterStop = webSocket.getReadyState();

    // OPEN came before CLOSE, so its two states are already there.
    Result result =
        new Result(beforeStart, afterStart, onOpen.join(), afterClose.join(), closed, afterStop);
    out.accept("before start(): " + result.beforeStart());
    out.accept("after start(): " + result.afterStart());
    out.accept("on open: " + result.onOpen());
    out.accept("after close(): " + result.afterClose());
    out.accept("on close: " + result.onClose());
    out.accept("after stop(): " + result.afterStop());
    return result;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(TIMEOUT_SECS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
