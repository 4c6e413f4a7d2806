package dev.ixws.cli;

import dev.ixws.ReadyState;
import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.ConnectionState;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws broadcast-server}: IX's {@code ws broadcast_server}. Every text and binary message a
 * client sends goes to every other connected client, in the same mode, until Ctrl-C.
 *
 * <p>Fan-out never waits on a recipient: each send only queues the frame on that client's
 * connection (IX's server sends to each recipient in turn, blocking on each). What a recipient has
 * not yet taken is bounded: before each send the server reads the recipient's buffered amount
 * (bytes queued and not yet written to its socket), and a client whose backlog would go past {@code
 * --max-queued-bytes} is closed with 1008 and a reason naming its backlog and the limit; it gets no
 * further message. A client that stops reading thus costs at most the limit plus one message, and
 * the others keep their rate.
 *
 * <p>Prints {@code Listening on HOST:PORT}, one line per connection, disconnection and slow client
 * closed (unless {@code -q}), and one per message only with {@code -v}.
 */
@Command(
    name = "broadcast-server",
    header = "Send each message to all other clients.",
    aliases = "broadcast_server",
    mixinStandardHelpOptions = true,
    description = "Run a server that sends every message to every other connected client.")
final class BroadcastServerCommand implements Callable<Integer> {

  /** The default bound on a client's queued outgoing bytes: 4 MiB. */
  static final long DEFAULT_MAX_QUEUED_BYTES = 4L * 1024 * 1024;

  /** The close code for a client that stays behind: RFC 6455's "policy violation". */
  static final int TOO_SLOW_CODE = 1008;

  private final Terminal terminal;

  @Mixin private ServerOptions server;

  @Option(
      names = {"--max-queued-bytes", "--max_queued_bytes"},
      defaultValue = "" + DEFAULT_MAX_QUEUED_BYTES,
      paramLabel = "BYTES",
      description =
          "A client with more than this many bytes waiting to be sent to it is closed with 1008"
              + " (default: ${DEFAULT-VALUE}).")
  private long maxQueuedBytes;

  @Mixin private TlsFlags tls = new TlsFlags();

  BroadcastServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (maxQueuedBytes < 1) {
      terminal.err().println("Error: --max-queued-bytes must be at least 1");
      return Ixws.EXIT_USAGE;
    }
    return new Relay(terminal, server, tls, maxQueuedBytes).serve();
  }

  /**
   * The relay itself, shared with {@code transfer}: every message to every other client, with the
   * bounded backlog policy described on the class.
   */
  static final class Relay {
    private final Terminal terminal;
    private final ServerOptions server;
    private final TlsFlags tls;
    private final long maxQueuedBytes;
    private static final int MAX_FRAME_HEADER_BYTES = 14;

    /** The open clients, each with its state and whether it has been closed for being too slow. */
    private final Map<WebSocket, Client> clients = new ConcurrentHashMap<>();

    private record Client(ConnectionState state, AtomicBoolean closing) {}

    Relay(Terminal terminal, ServerOptions server, TlsFlags tls, long maxQueuedBytes) {
      this.terminal = terminal;
      this.server = server;
      this.tls = tls;
      this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Serves until Ctrl-C or an interrupt; returns the exit code. */
    int serve() {
      return server.serve(
          terminal,
          s -> {
            s.setTLSOptions(tls.options());
            s.setOnConnectionCallback(
                (webSocket, state) ->
                    webSocket.setOnMessageCallback(msg -> onMessage(webSocket, state, msg)));
          });
    }

    // Runs on the sender's event loop: queues one frame per recipient and never blocks.
    private void onMessage(WebSocket webSocket, ConnectionState state, WebSocketMessage msg) {
      PrintStream out = terminal.out();
      switch (msg.type()) {
        case OPEN -> {
          clients.put(webSocket, new Client(state, new AtomicBoolean()));
          if (!server.quiet) {
            out.println(
                "Connection "
                    + state.getId()
                    + " opened from "
                    + EchoServerCommand.hostAndPort(state.getRemoteIp(), state.getRemotePort())
                    + ", uri "
                    + msg.openInfo().uri());
          }
        }
        case MESSAGE -> {
          if (server.verbose) {
            out.println(
                "Connection "
                    + state.getId()
                    + ": "
                    + (msg.binary() ? "binary" : "text")
                    + " message of "
                    + msg.size()
                    + " bytes");
          }
          broadcast(webSocket, msg);
        }
        case CLOSE -> {
          clients.remove(webSocket);
          if (!server.quiet) {
            out.println(
                "Connection " + state.getId() + " closed: " + Messages.describe(msg.closeInfo()));
          }
        }
        case ERROR ->
            terminal
                .err()
                .println(
                    "Connection "
                        + state.getId()
                        + " error: "
                        + Messages.describe(msg.errorInfo()));
        default -> {
          // Pings are answered by the library; pongs and fragments need nothing.
        }
      }
    }

    private void broadcast(WebSocket sender, WebSocketMessage msg) {
      for (Map.Entry<WebSocket, Client> entry : clients.entrySet()) {
        WebSocket recipient = entry.getKey();
        Client client = entry.getValue();
        if (recipient == sender || client.closing().get()) {
          continue;
        }
        long queued = recipient.getBufferedAmount();
        // What the message may take on the recipient's wire: uncompressed at worst (its wireSize
        // is what it took on the sender's, compressed there when deflate was negotiated).
        long cost = msg.size() + MAX_FRAME_HEADER_BYTES;
        if (queued + cost > maxQueuedBytes) {
          closeSlowClient(recipient, client, queued);
        } else if (recipient.getReadyState() == ReadyState.OPEN) {
          // A failed send means the recipient is closing: its CLOSE removes it.
          recipient.send(msg);
        }
      }
    }

    /** Closes a client whose backlog would pass the limit; only the first caller does. */
    private void closeSlowClient(WebSocket recipient, Client client, long queued) {
      if (!client.closing().compareAndSet(false, true)) {
        return;
      }
      String reason = "too slow: " + queued + " bytes not yet sent, limit " + maxQueuedBytes;
      if (!server.quiet) {
        terminal
            .out()
            .println(
                "Connection "
                    + client.state().getId()
                    + " closed by the server with 1008: "
                    + reason);
      }
      recipient.close(TOO_SLOW_CODE, reason);
    }
  }
}
