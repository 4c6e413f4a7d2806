package dev.ixws.cli;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.ConnectionState;
import dev.ixws.server.WebSocketServer;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws echo-server}: IX's {@code ws echo_server}. Sends every text and binary message back
 * to its sender in the same mode, until Ctrl-C (or, in-process, until the running thread is
 * interrupted).
 *
 * <p>Prints {@code Listening on HOST:PORT} once the port is bound (the chosen port when {@code
 * --port 0}), then one line per connection, disconnection and message unless {@code --quiet}.
 * Errors go to stderr; a port that cannot be bound exits with {@link Ixws#EXIT_FAILURE}.
 */
@Command(
    name = "echo-server",
    mixinStandardHelpOptions = true,
    description = "Run a server that echoes every text and binary message back to its sender.")
final class EchoServerCommand implements Callable<Integer> {

  /** IX's {@code ws echo_server} port. */
  static final int DEFAULT_PORT = 8008;

  private final Terminal terminal;

  @Option(
      names = {"-p", "--port"},
      defaultValue = "" + DEFAULT_PORT,
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--host",
      defaultValue = WebSocketServer.DEFAULT_HOST,
      paramLabel = "HOST",
      description =
          "Address to bind, e.g. 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  private String host;

  // IX's defaults (32 connections, backlog 5) suit an embedded server, not a test tool.
  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      paramLabel = "N",
      description =
          "Clients beyond this many are refused with HTTP 503 (default: ${DEFAULT-VALUE}).")
  private int maxConnections;

  @Option(
      names = "--backlog",
      defaultValue = "1024",
      paramLabel = "N",
      description = "TCP listen backlog (default: ${DEFAULT-VALUE}).")
  private int backlog;

  @Option(
      names = "--handshake-timeout",
      defaultValue = "" + WebSocketServer.DEFAULT_HANDSHAKE_TIMEOUT_SECS,
      paramLabel = "SECS",
      description =
          "Clients that do not finish the handshake in time are dropped (default:"
              + " ${DEFAULT-VALUE}).")
  private int handshakeTimeoutSecs;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not log connections, disconnections and messages.")
  private boolean quiet;

  @Mixin private TlsFlags tls = new TlsFlags();

  EchoServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    WebSocketServer server;
    try {
      server = new WebSocketServer(port, host, backlog, maxConnections, handshakeTimeoutSecs);
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    server.setTLSOptions(tls.options());
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(msg -> onMessage(webSocket, state, msg)));
    ListenResult listening = server.listen();
    if (!listening.ok()) {
      terminal.err().println("Error: " + listening.errorMessage());
      return Ixws.EXIT_FAILURE;
    }
    server.start();
    terminal.out().println("Listening on " + hostAndPort(host, server.getPort()));
    ShutdownHook hook = ShutdownHook.install(server::stop);
    try {
      server.awaitStop();
      return Ixws.EXIT_OK;
    } catch (InterruptedException e) {
      server.stop();
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } finally {
      hook.remove();
    }
  }

  // Runs on the connection's event loop: prints and echoes, never blocks.
  private void onMessage(WebSocket webSocket, ConnectionState state, WebSocketMessage msg) {
    PrintStream out = terminal.out();
    switch (msg.type()) {
      case OPEN -> {
        if (!quiet) {
          out.println(
              "Connection "
                  + state.getId()
                  + " opened from "
                  + hostAndPort(state.getRemoteIp(), state.getRemotePort())
                  + ", uri "
                  + msg.openInfo().uri());
        }
      }
      case MESSAGE -> {
        if (!quiet) {
          out.println(
              "Connection "
                  + state.getId()
                  + ": "
                  + (msg.binary() ? "binary" : "text")
                  + " message of "
                  + msg.size()
                  + " bytes");
        }
        webSocket.send(msg); // in the same mode, bytes as received
      }
      case CLOSE -> {
        if (!quiet) {
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
        // Pings are answered by the library; pongs and fragments need nothing.
      }
    }
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  static String hostAndPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
