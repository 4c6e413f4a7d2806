package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.ConnectionState;
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
 * --port 0}), then one line per connection and disconnection unless {@code -q}, and one per message
 * only with {@code -v} (so that the server is fit for benchmarks). Errors go to stderr; a port that
 * cannot be bound exits with {@link Ixws#EXIT_FAILURE}.
 *
 * <p>IX's flags: {@code -g} greets each client with {@code Welcome !}, {@code -6} binds the IPv6
 * loopback {@code ::1} unless {@code --host} names another address, {@code -p} stops answering
 * pings, and {@code --http-authorization-header VALUE} closes with 4001 "Permission denied" every
 * client whose {@code Authorization} header is not exactly {@code VALUE} (and tells the others
 * {@code Authorization succeeded!}). As in IX, {@code -p} is not a short form of {@code --port}.
 */
@Command(
    name = "echo-server",
    header = "Echo every message back to its sender.",
    aliases = "echo_server",
    mixinStandardHelpOptions = true,
    description = "Run a server that echoes every text and binary message back to its sender.")
final class EchoServerCommand implements Callable<Integer> {

  /** IX's {@code ws echo_server} port. */
  static final int DEFAULT_PORT = 8008;

  /** The close code IX's echo server sends a client with the wrong {@code Authorization}. */
  static final int PERMISSION_DENIED_CODE = 4001;

  /** The address {@code -6} binds when {@code --host} is not given. */
  static final String IPV6_LOOPBACK = "::1";

  private final Terminal terminal;

  @Mixin private ServerOptions server;

  @Option(
      names = {"-p", "--disable-pong"},
      description = "Do not answer pings with pongs (IX's -p; the port is --port).")
  private boolean disablePong;

  @Option(
      names = {"--http-authorization-header", "--http_authorization_header"},
      paramLabel = "VALUE",
      description =
          "Close clients whose Authorization header is not exactly VALUE with 4001"
              + " \"Permission denied\".")
  private String authorization;

  @Option(names = "-g", description = "Greet each client with a 'Welcome !' text message.")
  private boolean greetings;

  @Option(
      names = {"-x", "--disable-deflate"},
      description = "Decline per-message deflate (accepted by default, as in IXWebSocket).")
  private boolean disableDeflate;

  @Mixin private TlsFlags tls = new TlsFlags();

  EchoServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    return server.serve(
        terminal,
        s -> {
          if (disablePong) {
            s.disablePong();
          }
          s.setTLSOptions(tls.options());
          if (disableDeflate) {
            s.disablePerMessageDeflate();
          }
          s.setOnConnectionCallback(
              (webSocket, state) ->
                  webSocket.setOnMessageCallback(msg -> onMessage(webSocket, state, msg)));
        });
  }

  // Runs on the connection's event loop: prints and echoes, never blocks.
  private void onMessage(WebSocket webSocket, ConnectionState state, WebSocketMessage msg) {
    PrintStream out = terminal.out();
    switch (msg.type()) {
      case OPEN -> {
        if (!server.quiet) {
          out.println(
              "Connection "
                  + state.getId()
                  + " opened from "
                  + hostAndPort(state.getRemoteIp(), state.getRemotePort())
                  + ", uri "
                  + msg.openInfo().uri());
        }
        if (authorization != null) {
          String given = msg.openInfo().headers().get("Authorization");
          if (!authorization.equals(given)) {
            if (!server.quiet) {
              out.println("Connection " + state.getId() + ": wrong Authorization header, closing");
            }
            webSocket.close(PERMISSION_DENIED_CODE, "Permission denied");
            return;
          }
          webSocket.sendText("Authorization succeeded!");
        }
        if (greetings) {
          webSocket.sendText("Welcome !");
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
        webSocket.send(msg); // in the same mode, bytes as received
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
        // Pings are answered by the library; pongs and fragments need nothing.
      }
    }
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  static String hostAndPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
