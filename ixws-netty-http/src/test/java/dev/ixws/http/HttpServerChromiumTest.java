package dev.ixws.http;

import static dev.ixws.http.ServerFixture.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessageType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium loads a page from the HttpServer, and the page opens a WebSocket to the same
 * port, sends a message, and reports the echo back over HTTP.
 */
class HttpServerChromiumTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static final String PAGE =
      String.join(
          "\n",
          "<!doctype html><html><body><script>",
          "const ws = new WebSocket('ws://' + location.host + '/live');",
          "ws.onopen = () => ws.send('hello from chromium');",
          "ws.onmessage = (e) => fetch('/report?got=' + encodeURIComponent(e.data));",
          "ws.onerror = () => fetch('/report?got=error');",
          "</script></body></html>");

  @Test
  void aPageLoadedOverHttpOpensAWebSocketToTheSamePort() throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM), "chromium is missing: " + CHROMIUM);
    CompletableFuture<String> report = new CompletableFuture<>();
    HttpServer server = new HttpServer(0);
    server.setOnConnectionCallback(
        (request, state) -> {
          if (request.path().equals("/report")) {
            report.complete(request.queryParameter("got"));
            return HttpResponse.of(204, "");
          }
          if (request.path().equals("/")) {
            return new HttpResponse(
                200,
                "OK",
                HttpErrorCode.OK,
                WebSocketHttpHeaders.builder().set("Content-Type", "text/html").build(),
                PAGE);
          }
          return HttpResponse.notFound();
        });
    server.setOnClientMessageCallback(
        (state, webSocket, message) -> {
          if (message.type() == WebSocketMessageType.MESSAGE) {
            webSocket.sendText("echo " + message.str());
          }
        });
    started(server);
    Path profile = Files.createTempDirectory("httpd-chromium");
    Process chromium =
        new ProcessBuilder(
                CHROMIUM.toString(),
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
                "http://127.0.0.1:" + server.getPort() + "/")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      assertEquals("echo hello from chromium", report.get(45, TimeUnit.SECONDS));
    } finally {
      List<ProcessHandle> tree = new ArrayList<>(chromium.descendants().toList());
      tree.add(chromium.toHandle());
      tree.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle handle : tree) {
        try {
          handle.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          // Killed with SIGKILL already.
        }
      }
      server.stop();
      try (var paths = Files.walk(profile)) {
        paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }
}
