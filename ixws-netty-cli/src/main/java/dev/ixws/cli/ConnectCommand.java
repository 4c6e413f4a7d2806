package dev.ixws.cli;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws connect URL}: IX's {@code ws connect}. Each line read from stdin is sent as a text
 * message (binary with {@code -b}); each message received is printed on stdout (text as is, binary
 * as {@code [binary N bytes]}, gunzipped first with {@code -g}), with the open and close events.
 * Errors go to stderr.
 *
 * <p>Three lines are commands instead of messages, as in IX's tool: {@code /stop} closes the
 * connection with 1000 and waits, {@code /start} opens it again, {@code /close} starts the closing
 * handshake without waiting. None of them ends the command; only the end of stdin does.
 *
 * <p>As IX's tool, it reconnects automatically: each failed attempt prints the error with {@code
 * #retries} and {@code Wait time(ms)}, and a connection closed by the server is reopened. At the
 * end of stdin the connection is closed with 1000 and the command exits with {@link Ixws#EXIT_OK}.
 * With {@code -d} (no reconnection), a connection that cannot be opened or that the server closes
 * ends the command with {@link Ixws#EXIT_FAILURE}. An invalid URL, header or subprotocol exits with
 * {@link Ixws#EXIT_USAGE}.
 */
@Command(
    name = "connect",
    header = "Send stdin lines, print the messages.",
    mixinStandardHelpOptions = true,
    description = {
      "Connect to a WebSocket server, send each line of stdin as a text message and print the"
          + " messages received.",
      "End of input (Ctrl-D) closes the connection with 1000."
    })
final class ConnectCommand implements Callable<Integer> {

  /** IX's {@code ws connect} pings every 30 seconds unless told otherwise. */
  static final int DEFAULT_PING_INTERVAL_SECS = 30;

  /** How long to wait for the close handshake after stdin ends before exiting anyway. */
  private static final long CLOSE_WAIT_SECS = 5;

  private final Terminal terminal;

  @Parameters(
      index = "0",
      paramLabel = "URL",
      description = "ws:// or wss:// URL, e.g. ws://127.0.0.1:8008/")
  private String url;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description =
          "Extra handshake header, split at its first colon (the value may contain colons);"
              + " repeatable.")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = "--subprotocol",
      paramLabel = "NAME",
      description = "Subprotocol to offer, in order of preference; repeatable.")
  private List<String> subprotocols = new ArrayList<>();

  @Option(
      names = "--handshake-timeout",
      defaultValue = "" + WebSocket.DEFAULT_HANDSHAKE_TIMEOUT_SECS,
      paramLabel = "SECS",
      description =
          "Time allowed for TCP connect plus the opening handshake (default: ${DEFAULT-VALUE}).")
  private int handshakeTimeoutSecs;

  @Option(
      names = {"-x", "--disable-deflate"},
      description = "Do not offer per-message deflate (offered by default, as in IXWebSocket).")
  private boolean disableDeflate;

  @Option(
      names = {"-d", "--disable-automatic-reconnection"},
      description = "Exit when the connection fails or closes instead of reconnecting.")
  private boolean noReconnection;

  @Option(
      names = {"--ping-interval", "--ping_interval"},
      defaultValue = "" + DEFAULT_PING_INTERVAL_SECS,
      paramLabel = "SECS",
      description =
          "Send a heartbeat ping after SECS idle seconds; 0 turns it off (default:"
              + " ${DEFAULT-VALUE}, as IX's ws connect).")
  private int pingIntervalSecs;

  @Option(
      names = {"--max-wait", "--max_wait"},
      defaultValue = "" + WebSocket.DEFAULT_MAX_WAIT_BETWEEN_RECONNECTION_RETRIES_MILLIS,
      paramLabel = "MILLIS",
      description = "Longest wait between two reconnection attempts (default: ${DEFAULT-VALUE}).")
  private int maxWaitMillis;

  @Option(
      names = {"-b", "--binary"},
      description = "Send each line as a binary message (its UTF-8 bytes) instead of text.")
  private boolean binary;

  @Option(
      names = {"-g", "--gunzip"},
      description =
          "Gunzip each message received before printing it; one that is not gzip is printed"
              + " as received, after an error line on stderr.")
  private boolean gunzip;

  @Mixin private TlsFlags tls = new TlsFlags();

  ConnectCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    WebSocket webSocket = new WebSocket();
    try {
      webSocket.setUrl(url);
      webSocket.setExtraHeaders(parseHeaders(headers));
      for (String subprotocol : subprotocols) {
        webSocket.addSubprotocol(subprotocol);
      }
      webSocket.setHandshakeTimeout(handshakeTimeoutSecs);
      webSocket.setPingInterval(pingIntervalSecs);
      webSocket.setMaxWaitBetweenReconnectionRetries(maxWaitMillis);
      webSocket.setTLSOptions(tls.options());
      if (noReconnection) {
        webSocket.disableAutomaticReconnection();
      }
      if (disableDeflate) {
        webSocket.disablePerMessageDeflate();
      }
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }

    Connection connection = new Connection(webSocket);
    webSocket.setOnMessageCallback(connection::onMessage);
    webSocket.start();
    ShutdownHook hook = ShutdownHook.install(connection::closeByUser);
    try {
      CompletableFuture.anyOf(connection.opened, connection.ended).get();
      if (!connection.ended.isDone()) {
        Thread reader = new Thread(connection::sendLinesOfStdin, "ixws-stdin");
        // Blocked on a terminal read that may never return: must not keep the JVM alive.
        reader.setDaemon(true);
        reader.start();
      }
      return connection.ended.get();
    } catch (InterruptedException e) {
      connection.closeByUser();
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the futures complete only normally", e);
    } finally {
      hook.remove();
      webSocket.stop();
    }
  }

  /** Parses {@code Name: value} lines into headers; a repeated name gets its values joined. */
  static WebSocketHttpHeaders parseHeaders(List<String> lines) {
    WebSocketHttpHeaders.Builder builder = WebSocketHttpHeaders.builder();
    for (String line : lines) {
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon).trim();
      if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
        throw new IllegalArgumentException("invalid header '" + line + "': expected 'Name: value'");
      }
      builder.add(name, line.substring(colon + 1).trim());
    }
    return builder.build();
  }

  /** One run's connection: its events, and the threads that wait for them. */
  private final class Connection {
    private final WebSocket webSocket;

    /** Completed by OPEN. */
    private final CompletableFuture<Boolean> opened = new CompletableFuture<>();

    /** Completed with the exit code by CLOSE or ERROR. */
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();

    /** Set before the user's side closes, so that the CLOSE that follows is a success. */
    private volatile boolean closedByUser;

    /** Set by {@code /stop} and {@code /close}, cleared by {@code /start}: a CLOSE then goes on. */
    private volatile boolean pausedByUser;

    Connection(WebSocket webSocket) {
      this.webSocket = webSocket;
    }

    // Runs on the event loop: prints and completes futures, never blocks.
    void onMessage(WebSocketMessage msg) {
      switch (msg.type()) {
        case OPEN -> {
          String protocol = msg.openInfo().protocol();
          terminal
              .out()
              .println(
                  "Connected to "
                      + url
                      + (protocol.isEmpty() ? "" : " (protocol: " + protocol + ")"));
          opened.complete(true);
        }
        case MESSAGE -> printMessage(msg);
        case CLOSE -> {
          terminal.out().println("Connection closed: " + Messages.describe(msg.closeInfo()));
          if (closedByUser) {
            ended.complete(Ixws.EXIT_OK);
          } else if (noReconnection && !pausedByUser) {
            ended.complete(Ixws.EXIT_FAILURE);
          }
        }
        case ERROR -> {
          terminal.err().println("Error: " + Messages.describe(msg.errorInfo()));
          if (msg.errorInfo().waitTime() > 0) {
            // The reconnection schedule, printed as IX's ws connect prints it.
            terminal.err().println("#retries: " + msg.errorInfo().retries());
            terminal.err().println("Wait time(ms): " + msg.errorInfo().waitTime());
          } else if (noReconnection) {
            ended.complete(Ixws.EXIT_FAILURE);
          }
        }
        default -> {
          // Pings are answered by the library; pongs and fragments are not shown.
        }
      }
    }

    /** Runs on its own thread: sends each line of stdin until its end, then closes with 1000. */
    void sendLinesOfStdin() {
      // Not closed: in the real tool it is System.in, which outlives this command.
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(terminal.in(), terminal.inCharset()));
      try {
        String line;
        while ((line = reader.readLine()) != null && !ended.isDone()) {
          switch (line) {
            case "/stop" -> {
              pausedByUser = true;
              terminal.out().println("Stopping connection...");
              webSocket.stop();
            }
            case "/close" -> {
              pausedByUser = true;
              terminal.out().println("Closing connection...");
              webSocket.close();
            }
            case "/start" -> {
              pausedByUser = false;
              terminal.out().println("Starting connection...");
              webSocket.start();
            }
            default -> {
              WebSocketSendInfo sent =
                  binary
                      ? webSocket.sendBinary(line.getBytes(StandardCharsets.UTF_8))
                      : webSocket.sendText(line);
              if (!sent.success()) {
                terminal.err().println("Error: not sent: " + sent.error());
              }
            }
          }
        }
      } catch (IOException e) {
        if (!ended.isDone()) {
          terminal.err().println("Error: cannot read stdin: " + e.getMessage());
        }
      }
      closeByUser();
      // The CLOSE event normally ends the command; this bounds the wait if it never comes.
      ended.completeOnTimeout(Ixws.EXIT_OK, CLOSE_WAIT_SECS, TimeUnit.SECONDS);
    }

    /** Prints a received message, gunzipped first with {@code -g}. */
    private void printMessage(WebSocketMessage msg) {
      if (gunzip) {
        try {
          byte[] plain = Gzip.decompress(msg.bytes());
          terminal.out().println(new String(plain, StandardCharsets.UTF_8));
          return;
        } catch (IOException e) {
          terminal.err().println("Error decompressing: " + e.getMessage());
        }
      }
      terminal.out().println(msg.binary() ? "[binary " + msg.size() + " bytes]" : msg.str());
    }

    /** Closes with 1000 "Normal closure" and waits for the close handshake. */
    void closeByUser() {
      closedByUser = true;
      webSocket.stop();
      // stop() returns once closed; while reconnecting there is no CLOSE to end the command.
      ended.complete(Ixws.EXIT_OK);
    }
  }
}
