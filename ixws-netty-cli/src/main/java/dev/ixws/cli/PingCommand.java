package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws ping URL}: IX's {@code ws ping}. Each line read from stdin is sent as the payload of
 * a ping; each pong is printed with the round trip of the ping it answers ({@code Pong: PAYLOAD
 * (round trip 0.412 ms)}). A line of more than 125 bytes (UTF-8) is refused with an error line and
 * nothing is sent, since a control frame carries at most 125 (RFC 6455 section 5.5). Messages the
 * server sends are printed too; the line {@code /close} closes the connection.
 *
 * <p>No reconnection: a connection that fails or that the server closes ends the command with
 * {@link Ixws#EXIT_FAILURE}; the end of stdin closes with 1000 and exits with {@link Ixws#EXIT_OK}.
 */
@Command(
    name = "ping",
    header = "Ping, print pongs and round-trip times.",
    mixinStandardHelpOptions = true,
    description = "Send each line of stdin as a ping and print the pongs with their round trips.")
final class PingCommand implements Callable<Integer> {

  private static final long CLOSE_WAIT_SECS = 5;

  private final Terminal terminal;

  @Parameters(index = "0", paramLabel = "URL", description = "ws:// URL, e.g. ws://127.0.0.1:8008/")
  private String url;

  /** A ping sent and not yet answered. */
  private record Sent(byte[] payload, long atNanos) {}

  private final Queue<Sent> unanswered = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Boolean> opened = new CompletableFuture<>();
  private final CompletableFuture<Integer> ended = new CompletableFuture<>();
  private volatile boolean closedByUser;

  @Mixin private TlsFlags tls = new TlsFlags();

  PingCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    WebSocket webSocket = new WebSocket();
    webSocket.setTLSOptions(tls.options());
    try {
      webSocket.setUrl(url);
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    webSocket.disableAutomaticReconnection();
    webSocket.setOnMessageCallback(this::onMessage);
    webSocket.start();
    ShutdownHook hook = ShutdownHook.install(webSocket::stop);
    try {
      CompletableFuture.anyOf(opened, ended).get();
      if (!ended.isDone()) {
        Thread reader = new Thread(() -> pingLinesOfStdin(webSocket), "ixws-stdin");
        reader.setDaemon(true); // blocked on a terminal read that may never return
        reader.start();
      }
      return ended.get();
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

  // Runs on the event loop: prints and completes futures, never blocks.
  private void onMessage(WebSocketMessage msg) {
    switch (msg.type()) {
      case OPEN -> {
        terminal.out().println("Connected to " + url);
        opened.complete(true);
      }
      case PONG -> terminal.out().println(describePong(msg.bytes(), System.nanoTime()));
      case PING -> terminal.out().println("Ping from the server: " + msg.str());
      case MESSAGE ->
          terminal
              .out()
              .println(
                  "Message: " + (msg.binary() ? "[binary " + msg.size() + " bytes]" : msg.str()));
      case CLOSE -> {
        terminal.out().println("Connection closed: " + Messages.describe(msg.closeInfo()));
        ended.complete(closedByUser ? Ixws.EXIT_OK : Ixws.EXIT_FAILURE);
      }
      case ERROR -> {
        terminal.err().println("Error: " + Messages.describe(msg.errorInfo()));
        ended.complete(Ixws.EXIT_FAILURE);
      }
      default -> {
        // Fragments are not shown.
      }
    }
  }

  /**
   * {@code Pong: PAYLOAD (round trip X ms)} for the oldest unanswered ping with that payload; pings
   * answered by none (RFC 6455 lets a peer answer only the latest) are dropped on the way.
   */
  private String describePong(byte[] payload, long nowNanos) {
    String text = new String(payload, StandardCharsets.UTF_8);
    Sent sent;
    while ((sent = unanswered.poll()) != null) {
      if (Arrays.equals(sent.payload(), payload)) {
        double millis = (nowNanos - sent.atNanos()) / 1e6;
        return String.format(Locale.ROOT, "Pong: %s (round trip %.3f ms)", text, millis);
      }
    }
    return "Pong: " + text + " (unsolicited)";
  }

  /** Runs on its own thread: pings each line of stdin until its end, then closes with 1000. */
  private void pingLinesOfStdin(WebSocket webSocket) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(terminal.in(), terminal.inCharset()));
    try {
      String line;
      while ((line = reader.readLine()) != null && !ended.isDone()) {
        if (line.equals("/close")) {
          closedByUser = true;
          webSocket.close();
          continue;
        }
        byte[] payload = line.getBytes(StandardCharsets.UTF_8);
        Sent sent = new Sent(payload, System.nanoTime());
        unanswered.add(sent);
        WebSocketSendInfo result = webSocket.ping(payload);
        if (!result.success()) {
          unanswered.remove(sent);
          terminal.err().println("Error: not sent: " + result.error());
        }
      }
    } catch (IOException e) {
      if (!ended.isDone()) {
        terminal.err().println("Error: cannot read stdin: " + e.getMessage());
      }
    }
    closedByUser = true;
    webSocket.stop();
    ended.completeOnTimeout(Ixws.EXIT_OK, CLOSE_WAIT_SECS, TimeUnit.SECONDS);
  }
}
