package dev.ixws.examples;

import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The guide's "Configuring the remote url": the URL can be set again after the WebSocket was
 * created with {@code configure(url)} (same as {@code setUrl}); {@code stop()} and {@code start()}
 * are needed to disconnect and connect to the new URL.
 */
public final class ConfigureExample {

  private static final long TIMEOUT_SECS = 10;

  private ConfigureExample() {}

  /** Runs the example against {@code ws://localhost:8080/a} then {@code ws://localhost:8080/b}. */
  public static void main(String[] args) throws Exception {
    run("ws://localhost:8080/a", "ws://localhost:8080/b", System.out::println);
  }

  /**
   * Connects to {@code firstUrl}, stops, configures {@code secondUrl}, and connects again.
   *
   * @return the URI of each connection, from its {@code OPEN} message
   */
  public static List<String> run(String firstUrl, String secondUrl, Consumer<String> out)
      throws Exception {
    WebSocket websocket = new WebSocket();
    AtomicReference<CompletableFuture<String>> opened = new AtomicReference<>();
    websocket.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.OPEN) {
            opened.get().complete(msg.openInfo().uri());
          } else if (msg.type() == WebSocketMessageType.ERROR) {
            opened.get().completeExceptionally(new IllegalStateException(msg.errorInfo().reason()));
          }
        });
    List<String> uris = new ArrayList<>();

    websocket.configure(firstUrl);
    uris.add(connectOnce(websocket, opened, out)); // start(), wait for OPEN, stop()

    String url = secondUrl;
    websocket.configure(url);
    // You will have to call stop and start to connect to the new url.
    uris.add(connectOnce(websocket, opened, out));
    return uris;
  }

  private static String connectOnce(
      WebSocket websocket, AtomicReference<CompletableFuture<String>> opened, Consumer<String> out)
      throws Exception {
    CompletableFuture<String> next = new CompletableFuture<>();
    opened.set(next);
    websocket.start();
    String uri = next.get(TIMEOUT_SECS, TimeUnit.SECONDS);
    out.accept("connected to " + websocket.getUrl() + " (uri " + uri + ")");
    websocket.stop();
    return uri;
  }
}
