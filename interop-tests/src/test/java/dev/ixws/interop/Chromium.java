package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium running a driver page that executes WebSocket scenarios in the
 * browser's own {@code WebSocket} and reports the results back.
 *
 * <p>The test serves the page itself with the JDK's HTTP server on 127.0.0.1: the page long-polls
 * {@code GET /next} for a scenario (JSON), runs it and posts one JSON report to {@code POST
 * /report} (see {@code src/test/resources/browser/driver.html}). One browser serves a whole test
 * class; {@link #close()} kills its process tree and removes its profile.
 *
 * <p>{@link #run} is for one test thread at a time.
 */
final class Chromium implements AutoCloseable {

  static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  private static final Charset UTF8 = StandardCharsets.UTF_8;

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_WAIT = Duration.ofSeconds(2);

  private final LinkedBlockingQueue<String> scenarios = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> reports = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<Boolean> polled = new LinkedBlockingQueue<>();
  private final Path directory;
  private final Path log;
  private final HttpServer http;
  private final ExecutorService httpThreads;
  private Process process;

  private final List<String> extraFlags;

  private Chromium(List<String> extraFlags) throws IOException {
    this.extraFlags = List.copyOf(extraFlags);
    directory = Files.createTempDirectory("ixws-chromium");
    log = directory.resolve("chromium.log");
    httpThreads = Executors.newFixedThreadPool(4, daemon("ixws-browser-http"));
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    http.setExecutor(httpThreads);
    http.createContext("/", this::servePage);
    http.createContext("/next", this::serveNext);
    http.createContext("/report", this::takeReport);
    http.start();
  }

  /**
   * Starts the page server and the browser, and waits until the page asks for its first scenario.
   * Fails the test if Chromium is not installed or does not load the page in time.
   */
  static Chromium start() {
    return start(List.of());
  }

  /** As {@link #start()}, with {@code extraFlags} on Chromium's command line. */
  static Chromium start(List<String> extraFlags) {
    ExternalProgram.requireInstalled(EXECUTABLE, "chromium");
    Chromium chromium;
    try {
      chromium = new Chromium(extraFlags);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the page server", e);
    }
    try {
      chromium.launch();
      return chromium;
    } catch (RuntimeException | Error e) {
      chromium.close();
      throw e;
    }
  }

  private void launch() {
    Path profile = directory.resolve("profile");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            EXECUTABLE.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--user-data-dir=" + profile,
            // Without it, the page's timers and fetches slow down as a background tab.
            "--disable-background-timer-throttling",
            "--disable-renderer-backgrounding"));
    command.addAll(extraFlags);
    command.add(pageUrl());
    process = ExternalProgram.start(command, log);
    try {
      Boolean asked = polled.poll(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (asked == null) {
        fail("Chromium did not load " + pageUrl() + " within " + STARTUP_TIMEOUT + logNote());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while starting Chromium", e);
    }
  }

  /** The URL of the driver page. */
  String pageUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
  }

  /**
   * Hands {@code scenarioJson} to the page and returns the page's JSON report, failing the test if
   * none comes within {@code timeout}.
   */
  String run(String scenarioJson, Duration timeout) {
    scenarios.add(scenarioJson);
    try {
      String report = reports.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (report == null) {
        fail("the page reported nothing within " + timeout + " for " + scenarioJson + logNote());
      }
      return report;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the page", e);
    }
  }

  /** The browser's version line, e.g. {@code Chromium 156.0.8078.79 ...}. */
  static String version() {
    return ExternalProgram.version(new ProcessBuilder(EXECUTABLE.toString(), "--version"));
  }

  /** Kills the browser with every process it started, stops the page server, removes the files. */
  @Override
  public void close() {
    if (process != null) {
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      tree.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle handle : tree) {
        try {
          handle.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          // Best effort: a process that outlives this wait was already killed with SIGKILL.
        }
      }
    }
    http.stop(0);
    httpThreads.shutdownNow();
    ExternalProgram.deleteRecursively(directory);
  }

  private void servePage(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/")) {
        respond(exchange, 404, "text/plain", new byte[0]);
        return;
      }
      byte[] page;
      try (InputStream in = Chromium.class.getResourceAsStream("/browser/driver.html")) {
        if (in == null) {
          respond(exchange, 500, "text/plain", "driver.html is missing".getBytes(UTF8));
          return;
        }
        page = in.readAllBytes();
      }
      respond(exchange, 200, "text/html; charset=utf-8", page);
    }
  }

  private void serveNext(HttpExchange exchange) throws IOException {
    try (exchange) {
      polled.offer(Boolean.TRUE);
      String scenario;
      try {
        scenario = scenarios.poll(POLL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        scenario = null;
      }
      if (scenario == null) {
        respond(exchange, 204, "text/plain", null);
      } else {
        respond(exchange, 200, "application/json", scenario.getBytes(UTF8));
      }
    }
  }

  private void takeReport(HttpExchange exchange) throws IOException {
    try (exchange) {
      reports.add(new String(exchange.getRequestBody().readAllBytes(), UTF8));
      respond(exchange, 204, "text/plain", null);
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
    if (body != null) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private String logNote() {
    String alive = process != null && process.isAlive() ? "" : " (Chromium exited)";
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 30), lines.size());
      return alive + "\nChromium log (last lines):\n" + String.join("\n", tail);
    } catch (IOException e) {
      return alive;
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
