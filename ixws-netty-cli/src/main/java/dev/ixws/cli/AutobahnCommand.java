package dev.ixws.cli;

import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws autobahn --url URL}: IX's {@code ws autobahn}, the client side of the Autobahn
 * |Testsuite's fuzzing-server protocol. It asks {@code /getCaseCount} how many cases there are,
 * runs each one on {@code /runCase?case=N&agent=A} with a WebSocket in echo mode (every message is
 * sent back in the same mode; the server judges what comes back and how the client closes), then
 * asks the server to write its reports with {@code /updateReports?agent=A}.
 *
 * <p>Progress is printed as {@code case N/TOTAL done}. Exits with {@link Ixws#EXIT_OK} once the
 * reports are updated, {@link Ixws#EXIT_FAILURE} when the case count cannot be read or the reports
 * cannot be updated, {@link Ixws#EXIT_USAGE} for an invalid URL. A case that does not end within
 * the case timeout is stopped and reported as timed out; the run goes on.
 */
@Command(
    name = "autobahn",
    header = "Run the Autobahn|Testsuite client cases.",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Autobahn|Testsuite client cases against a fuzzing server (echo client).",
      "Asks /getCaseCount, runs /runCase?case=N&agent=AGENT for each case, then"
          + " /updateReports?agent=AGENT."
    })
final class AutobahnCommand implements Callable<Integer> {

  /** How long the case count and the report update may take. */
  private static final long CONTROL_TIMEOUT_SECS = 30;

  private final Terminal terminal;

  @Mixin private TlsFlags tls = new TlsFlags();

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:9001",
      paramLabel = "URL",
      description = "The fuzzing server (default: ${DEFAULT-VALUE}).")
  private String url;

  @Option(
      names = "--agent",
      defaultValue = "ixws-netty",
      paramLabel = "NAME",
      description = "The agent name the reports are filed under (default: ${DEFAULT-VALUE}).")
  private String agent;

  @Option(
      names = "--cases",
      defaultValue = "-1",
      paramLabel = "N",
      description = "Run only the first N cases (default: all).")
  private int maxCases;

  @Option(
      names = "--case-timeout",
      defaultValue = "60",
      paramLabel = "SECS",
      description = "Time allowed for one case before it is stopped (default: ${DEFAULT-VALUE}).")
  private int caseTimeoutSecs;

  @Option(
      names = "--max-message-size",
      defaultValue = "" + WebSocket.DEFAULT_MAX_MESSAGE_SIZE_BYTES,
      paramLabel = "BYTES",
      description = "Largest message accepted (default: ${DEFAULT-VALUE}).")
  private int maxMessageSize;

  AutobahnCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    String agentParam = URLEncoder.encode(agent, StandardCharsets.UTF_8);
    try {
      if (caseTimeoutSecs < 1 || maxMessageSize < 1) {
        terminal.err().println("Error: --case-timeout and --max-message-size must be positive");
        return Ixws.EXIT_USAGE;
      }
      Run count = run(base + "/getCaseCount", false, CONTROL_TIMEOUT_SECS);
      int caseCount = parseCount(count.firstText());
      if (caseCount < 0) {
        terminal.err().println("Error: cannot read the case count from " + base + ": " + count);
        return Ixws.EXIT_FAILURE;
      }
      int total = maxCases >= 0 ? Math.min(maxCases, caseCount) : caseCount;
      terminal.out().println("Running " + total + " of " + caseCount + " cases against " + base);
      for (int i = 1; i <= total; i++) {
        Run run = run(base + "/runCase?case=" + i + "&agent=" + agentParam, true, caseTimeoutSecs);
        terminal
            .out()
            .println("case " + i + "/" + total + (run.timedOut() ? " timed out" : " done"));
      }
      Run update = run(base + "/updateReports?agent=" + agentParam, false, CONTROL_TIMEOUT_SECS);
      if (!update.opened()) {
        terminal.err().println("Error: cannot update the reports: " + update);
        return Ixws.EXIT_FAILURE;
      }
      terminal.out().println("Reports updated for agent " + agent);
      return Ixws.EXIT_OK;
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    }
  }

  private static int parseCount(String text) {
    if (text == null) {
      return -1;
    }
    try {
      int count = Integer.parseInt(text.trim());
      return count >= 0 ? count : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Opens {@code target}, echoes every message when {@code echo}, and waits until the connection
   * ends (CLOSE, or an ERROR before it opened) or {@code timeoutSecs} pass.
   */
  private Run run(String target, boolean echo, long timeoutSecs) throws InterruptedException {
    WebSocket webSocket = new WebSocket();
    webSocket.setUrl(target);
    webSocket.setTLSOptions(tls.options());
    webSocket.disableAutomaticReconnection();
    webSocket.setMaxMessageSize(maxMessageSize);
    CompletableFuture<String> ended = new CompletableFuture<>();
    AtomicReference<String> firstText = new AtomicReference<>();
    AtomicBoolean opened = new AtomicBoolean();
    // Runs on the event loop: sends and completes futures, never blocks.
    webSocket.setOnMessageCallback(
        (WebSocketMessage msg) -> {
          switch (msg.type()) {
            case OPEN -> opened.set(true);
            case MESSAGE -> {
              if (!msg.binary()) {
                firstText.compareAndSet(null, msg.str());
              }
              if (echo) {
                webSocket.send(msg.str(), msg.binary());
              }
            }
            case CLOSE -> ended.complete("closed: " + Messages.describe(msg.closeInfo()));
            case ERROR -> {
              if (!opened.get()) {
                ended.complete("failed: " + Messages.describe(msg.errorInfo()));
              }
            }
            default -> {
              // Pings are answered by the library; pongs and fragments need nothing.
            }
          }
        });
    webSocket.start();
    try {
      String how = ended.get(timeoutSecs, TimeUnit.SECONDS);
      return new Run(opened.get(), false, how, firstText.get());
    } catch (TimeoutException e) {
      return new Run(true, true, "timed out after " + timeoutSecs + " s", firstText.get());
    } catch (ExecutionException e) {
      throw new IllegalStateException("the future completes only normally", e);
    } finally {
      webSocket.stop();
    }
  }

  /** How one connection went. */
  private record Run(boolean opened, boolean timedOut, String how, String firstText) {
    @Override
    public String toString() {
      return how;
    }
  }
}
