package dev.ixws.cli;

import dev.ixws.ListenResult;
import dev.ixws.server.WebSocketServer;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The options every server command shares (address, limits, logging), and the run loop they share:
 * bind, print {@code Listening on HOST:PORT}, serve until Ctrl-C or an interrupt. A picocli mixin.
 */
final class ServerOptions {

  @Option(
      names = "--port",
      defaultValue = "" + EchoServerCommand.DEFAULT_PORT,
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Address to bind, e.g. 0.0.0.0 for every interface (default: 127.0.0.1, or ::1 with"
              + " -6).")
  String host;

  @Option(
      names = "-6",
      description = "Bind the IPv6 loopback ::1 instead of 127.0.0.1 (when --host is not given).")
  boolean ipv6;

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      paramLabel = "N",
      description =
          "Clients beyond this many are refused with HTTP 503 (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--backlog",
      defaultValue = "1024",
      paramLabel = "N",
      description = "TCP listen backlog (default: ${DEFAULT-VALUE}).")
  int backlog;

  @Option(
      names = "--handshake-timeout",
      defaultValue = "" + WebSocketServer.DEFAULT_HANDSHAKE_TIMEOUT_SECS,
      paramLabel = "SECS",
      description =
          "Clients that do not finish the handshake in time are dropped (default:"
              + " ${DEFAULT-VALUE}).")
  int handshakeTimeoutSecs;

  @Option(
      names = {"-q", "--quiet"},
      description = "Do not log connections and disconnections.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also log every message (off by default, so the server is fit for benchmarks).")
  boolean verbose;

  /** The address to bind: {@code --host}, else the IPv4 or (with {@code -6}) IPv6 loopback. */
  String host() {
    if (host != null) {
      return host;
    }
    return ipv6 ? EchoServerCommand.IPV6_LOOPBACK : WebSocketServer.DEFAULT_HOST;
  }

  /**
   * Builds the server, lets {@code configure} set its callbacks, binds it, and serves until it is
   * stopped (Ctrl-C) or the calling thread is interrupted; returns the exit code.
   */
  int serve(Terminal terminal, Consumer<WebSocketServer> configure) {
    String bindHost = host();
    WebSocketServer server;
    try {
      server = new WebSocketServer(port, bindHost, backlog, maxConnections, handshakeTimeoutSecs);
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    configure.accept(server);
    ListenResult listening = server.listen();
    if (!listening.ok()) {
      terminal.err().println("Error: " + listening.errorMessage());
      return Ixws.EXIT_FAILURE;
    }
    server.start();
    terminal
        .out()
        .println("Listening on " + EchoServerCommand.hostAndPort(bindHost, server.getPort()));
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
}
