package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketSendInfo;
import dev.ixws.client.WebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws chat URL USER}: IX's {@code ws chat}, a group chat through {@code broadcast-server}.
 * Each line read from stdin is sent as IX's chat message, the text {@code
 * {"user":"USER","text":"LINE"}}; each chat message received is printed as IX prints it, {@code
 * USER(N bytes) > TEXT} (N the message's size on the wire). A message that is not a chat message is
 * reported on stderr. Once connected it reconnects automatically, as IX's does; but a first
 * connection that fails (bad address, refused, handshake rejected, TLS error) exits at once with
 * {@link Ixws#EXIT_FAILURE} and the reason on one line of stderr, where IX's retries forever. The
 * end of stdin closes with 1000 and exits with {@link Ixws#EXIT_OK}. IX's {@code USER > } prompt is
 * not printed.
 */
@Command(
    name = "chat",
    header = "Group chat through broadcast-server.",
    mixinStandardHelpOptions = true,
    description =
        "Group chat through broadcast-server: send stdin lines as USER, print the others'.")
final class ChatCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(index = "0", paramLabel = "URL", description = "broadcast-server URL")
  private String url;

  @Parameters(index = "1", paramLabel = "USER", description = "The name the others see")
  private String user;

  private final CompletableFuture<Boolean> opened = new CompletableFuture<>();

  @Mixin private TlsFlags tls = new TlsFlags();

  ChatCommand(Terminal terminal) {
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
    webSocket.setOnMessageCallback(this::onMessage);
    terminal.out().println("Type Ctrl-D to exit prompt...");
    terminal.out().println("Connecting to url: " + url);
    webSocket.start();
    ShutdownHook hook = ShutdownHook.install(webSocket::stop);
    try {
      if (!opened.get()) {
        return Ixws.EXIT_FAILURE; // the ERROR line said why
      }
      return sendLinesOfStdin(webSocket);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the future completes only normally", e);
    } finally {
      hook.remove();
      webSocket.stop();
    }
  }

  // Runs on the event loop: prints, never blocks.
  private void onMessage(WebSocketMessage msg) {
    switch (msg.type()) {
      case OPEN -> {
        terminal.out().println("ws chat: connected");
        terminal.out().println("ws chat: user " + user + " connected !");
        opened.complete(true);
      }
      case MESSAGE -> {
        Optional<ChatMessage> chat =
            msg.binary() ? Optional.empty() : ChatMessage.decode(msg.str());
        if (chat.isPresent()) {
          terminal
              .out()
              .println(chat.get().user() + "(" + msg.wireSize() + " bytes) > " + chat.get().text());
        } else {
          terminal.err().println("ws chat: not a chat message (" + msg.size() + " bytes)");
        }
      }
      case CLOSE ->
          terminal
              .out()
              .println(
                  "ws chat: user " + user + " disconnected: " + Messages.describe(msg.closeInfo()));
      case ERROR -> {
        terminal.err().println("Error: " + Messages.describe(msg.errorInfo()));
        if (!opened.isDone()) {
          // Never connected: the command ends (and stops the retries) instead of waiting.
          opened.complete(false);
          return;
        }
        if (msg.errorInfo().waitTime() > 0) {
          terminal.err().println("#retries: " + msg.errorInfo().retries());
          terminal.err().println("Wait time(ms): " + msg.errorInfo().waitTime());
        }
      }
      default -> {
        // Pings are answered by the library; pongs and fragments are not shown.
      }
    }
  }

  /** Sends each line of stdin as a chat message until its end; returns the exit code. */
  private int sendLinesOfStdin(WebSocket webSocket) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(terminal.in(), terminal.inCharset()));
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        WebSocketSendInfo sent = webSocket.sendText(new ChatMessage(user, line).encode());
        if (!sent.success()) {
          terminal.err().println("Error: not sent: " + sent.error());
        }
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } catch (IOException e) {
      terminal.err().println("Error: cannot read stdin: " + e.getMessage());
      return Ixws.EXIT_FAILURE;
    }
    return Ixws.EXIT_OK;
  }
}
