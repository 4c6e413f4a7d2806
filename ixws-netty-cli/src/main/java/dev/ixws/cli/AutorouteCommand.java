package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws autoroute URL}: IX's {@code ws autoroute}, the client half of the throughput pair
 * with {@code push-server}. Connects to {@code URL/N} (no reconnection), counts the messages that
 * arrive, prints IX's {@code messages received per second: R} once a second, and when all N are in
 * prints IX's {@code ws_autoroute full test completed in T ms} and {@code AUTOROUTE IXWebSocket ::
 * T ms} lines (T from the open to the last message) and a summary with the rate, then closes with
 * 1000 and exits with {@link Ixws#EXIT_OK}. A connection that fails or closes first exits with
 * {@link Ixws#EXIT_FAILURE} and the count so far.
 */
@Command(
    name = "autoroute",
    header = "Receive N pushed messages, report rate.",
    mixinStandardHelpOptions = true,
    description =
        "Connect to URL/N, receive N messages (from push-server) and report the throughput.")
final class AutorouteCommand implements Callable<Integer> {

  /** IX's default message count. */
  static final long DEFAULT_MESSAGE_COUNT = 1_000_000;

  private final Terminal terminal;

  @Parameters(index = "0", paramLabel = "URL", description = "Server URL, e.g. ws://127.0.0.1:8008")
  private String url;

  @Option(
      names = {"--msg-count", "--msg_count"},
      defaultValue = "" + DEFAULT_MESSAGE_COUNT,
      paramLabel = "N",
      description = "Messages to ask for and wait for (default: ${DEFAULT-VALUE}).")
  private long messageCount;

  @Option(names = "--subprotocol", paramLabel = "NAME", description = "Subprotocol to offer.")
  private String subprotocol;

  @Option(
      names = {"--ping-interval", "--ping_interval"},
      defaultValue = "-1",
      paramLabel = "SECS",
      description = "Send a heartbeat ping after SECS idle seconds (default: off).")
  private int pingIntervalSecs;

  @Mixin private TlsFlags tls = new TlsFlags();

  AutorouteCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (messageCount < 1) {
      terminal.err().println("Error: --msg-count must be at least 1");
      return Ixws.EXIT_USAGE;
    }
    String fullUrl = (url.endsWith("/") ? url : url + "/") + messageCount;
    WebSocket webSocket = new WebSocket();
    webSocket.setTLSOptions(tls.options());
    try {
      webSocket.setUrl(fullUrl);
      if (subprotocol != null) {
        webSocket.addSubprotocol(subprotocol);
      }
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    webSocket.setPingInterval(pingIntervalSecs);
    webSocket.disableAutomaticReconnection();

    AtomicLong received = new AtomicLong();
    AtomicLong openedAtNanos = new AtomicLong();
    AtomicLong doneAtNanos = new AtomicLong();
    CompletableFuture<Boolean> opened = new CompletableFuture<>();
    CompletableFuture<String> ended = new CompletableFuture<>();
    // Runs on the event loop: counts, never prints per message.
    webSocket.setOnMessageCallback(
        (WebSocketMessage msg) -> {
          switch (msg.type()) {
            case OPEN -> {
              openedAtNanos.set(System.nanoTime());
              opened.complete(true);
            }
            case MESSAGE -> {
              if (received.incrementAndGet() == messageCount) {
                doneAtNanos.set(System.nanoTime());
                ended.complete(null);
              }
            }
            case CLOSE ->
                ended.complete("connection closed: " + Messages.describe(msg.closeInfo()));
            case ERROR -> ended.complete(Messages.describe(msg.errorInfo()));
            default -> {
              // Pongs and fragments are not counted.
            }
          }
        });

    PrintStream out = terminal.out();
    out.println("Connecting to " + fullUrl + "...");
    webSocket.start();
    ShutdownHook hook = ShutdownHook.install(webSocket::stop);
    try {
      CompletableFuture.anyOf(opened, ended).get();
      if (opened.isDone()) {
        out.println("ws_autoroute: connected");
      }
      long last = 0;
      while (true) {
        try {
          String failure = ended.get(1, TimeUnit.SECONDS);
          if (failure != null) {
            terminal
                .err()
                .println(
                    "Error: "
                        + failure
                        + " after "
                        + received.get()
                        + " of "
                        + messageCount
                        + " messages");
            return Ixws.EXIT_FAILURE;
          }
          break;
        } catch (TimeoutException aSecondPassed) {
          long now = received.get();
          out.println("messages received per second: " + (now - last));
          last = now;
        }
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(doneAtNanos.get() - openedAtNanos.get());
      out.println("ws_autoroute full test completed in " + millis + " ms");
      out.println("AUTOROUTE IXWebSocket :: " + millis + " ms");
      double seconds = Math.max(1, doneAtNanos.get() - openedAtNanos.get()) / 1e9;
      out.println(
          String.format(
              Locale.ROOT,
              "Received %d messages in %d ms: %.0f messages/s",
              messageCount,
              millis,
              messageCount / seconds));
      return Ixws.EXIT_OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the futures complete only normally", e);
    } finally {
      hook.remove();
      webSocket.stop();
    }
  }
}
