package dev.ixws.cli;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.ConnectionState;
import java.io.PrintStream;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws push-server}: IX's {@code ws push_server}, one half of IX's throughput pair with
 * {@code autoroute}. A client that connects to {@code /N} is sent N text messages ({@code
 * --send-msg}, default {@code hello world}) as fast as it takes them; a client connecting to any
 * other target is closed with 1008. Messages a client sends are echoed back to it.
 *
 * <p>The messages are pushed from one thread of the command's own, never from the connection's
 * event loop, and only while the connection has less than {@link #HIGH_WATER_BYTES} waiting to be
 * written: a push of millions of messages takes a bounded amount of memory (IX's loop queues them
 * all at once).
 */
@Command(
    name = "push-server",
    header = "Push N messages to a client on /N.",
    aliases = "push_server",
    mixinStandardHelpOptions = true,
    description =
        "Run a server that sends N messages to a client connecting to /N, then echoes its messages.")
final class PushServerCommand implements Callable<Integer> {

  /** IX's message. */
  static final String DEFAULT_MESSAGE = "hello world";

  /** A connection with this many bytes waiting to be written is sent nothing more for now. */
  static final long HIGH_WATER_BYTES = 256 * 1024;

  private final Terminal terminal;

  @Mixin private ServerOptions server;

  @Option(
      names = {"--send-msg", "--send_msg"},
      defaultValue = DEFAULT_MESSAGE,
      paramLabel = "TEXT",
      description = "The text message pushed N times (default: ${DEFAULT-VALUE}).")
  private String sendMsg;

  @Option(
      names = {"-p", "--disable-pong"},
      description = "Do not answer pings with pongs (IX's -p).")
  private boolean disablePong;

  private ScheduledExecutorService pusher;

  @Mixin private TlsFlags tls = new TlsFlags();

  PushServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    pusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "ixws-push");
              thread.setDaemon(true);
              return thread;
            });
    try {
      return server.serve(
          terminal,
          s -> {
            if (disablePong) {
              s.disablePong();
            }
            s.setTLSOptions(tls.options());
            s.setOnConnectionCallback(
                (webSocket, state) ->
                    webSocket.setOnMessageCallback(msg -> onMessage(webSocket, state, msg)));
          });
    } finally {
      pusher.shutdownNow();
    }
  }

  /** The N of a target {@code /N}, if that is what it is. */
  static OptionalLong messageCount(String uri) {
    String digits = uri.startsWith("/") ? uri.substring(1) : uri;
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(digits));
  }

  // Runs on the connection's event loop: starts the push, echoes, never blocks.
  private void onMessage(WebSocket webSocket, ConnectionState state, WebSocketMessage msg) {
    PrintStream out = terminal.out();
    switch (msg.type()) {
      case OPEN -> {
        String uri = msg.openInfo().uri();
        OptionalLong count = messageCount(uri);
        if (!server.quiet) {
          out.println(
              "Connection "
                  + state.getId()
                  + " opened from "
                  + EchoServerCommand.hostAndPort(state.getRemoteIp(), state.getRemotePort())
                  + ", uri "
                  + uri
                  + (count.isPresent() ? ", pushing " + count.getAsLong() + " messages" : ""));
        }
        if (count.isEmpty()) {
          webSocket.close(1008, "expected a URI /N, N the number of messages to push");
        } else {
          pusher.execute(() -> push(webSocket, count.getAsLong()));
        }
      }
      case MESSAGE -> {
        if (server.verbose) {
          out.println("Connection " + state.getId() + ": message of " + msg.size() + " bytes");
        }
        webSocket.send(msg);
      }
      case CLOSE -> {
        if (!server.quiet) {
          out.println(
              "Connection " + state.getId() + " closed: " + Messages.describe(msg.closeInfo()));
        }
      }
      case ERROR ->
          terminal
              .err()
              .println(
                  "Connection " + state.getId() + " error: " + Messages.describe(msg.errorInfo()));
      default -> {
        // Pings are answered by the library unless -p; pongs and fragments need nothing.
      }
    }
  }

  /** Runs on the pusher thread: sends until the backlog is high, then comes back in 1 ms. */
  private void push(WebSocket webSocket, long remaining) {
    long left = remaining;
    while (left > 0) {
      if (webSocket.getReadyState() != ReadyState.OPEN) {
        return; // closed mid-push: nothing more to send
      }
      if (webSocket.getBufferedAmount() > HIGH_WATER_BYTES) {
        long rest = left;
        pusher.schedule(() -> push(webSocket, rest), 1, TimeUnit.MILLISECONDS);
        return;
      }
      if (!webSocket.sendText(sendMsg).success()) {
        return;
      }
      left--;
    }
  }
}
