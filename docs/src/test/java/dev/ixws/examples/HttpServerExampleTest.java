package dev.ixws.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixws.http.HttpClient;
import dev.ixws.http.HttpResponse;
import dev.ixws.http.HttpServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the usage guide's HTTP server example in a thread and asks it with our client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpServerExampleTest {

  @Test
  void serverAnswersMethodAndUriUntilStopped() throws Exception {
    List<String> err = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpServer> started = new CompletableFuture<>();
    CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    Thread serverThread =
        new Thread(
            () -> {
              try {
                exitCode.complete(
                    HttpServerExample.run(0, "127.0.0.1", err::add, started::complete));
              } catch (Throwable e) {
                exitCode.completeExceptionally(e);
                started.completeExceptionally(e);
              }
            },
            "http-server-example");
    serverThread.start();
    HttpServer server = started.get(10, TimeUnit.SECONDS);
    try (HttpClient client = new HttpClient()) {
      String url = "http://127.0.0.1:" + server.getPort() + "/hello?x=1";
      HttpResponse get = client.get(url, client.createRequest());
      assertEquals(200, get.statusCode(), get.errorMsg());
      assertEquals("GET /hello?x=1", get.body());
      HttpResponse post = client.post(url, "data", client.createRequest());
      assertEquals("POST /hello?x=1", post.body());
    }
    server.stop();
    assertEquals(0, exitCode.get(10, TimeUnit.SECONDS));
    assertEquals(List.of(), err);
  }

  @Test
  void aBusyPortIsReportedAndExits1() throws Exception {
    HttpServer first = new HttpServer(0);
    first.listen();
    try {
      List<String> err = new CopyOnWriteArrayList<>();
      assertEquals(1, HttpServerExample.run(first.getPort(), "127.0.0.1", err::add, s -> {}));
      assertEquals(1, err.size(), err.toString());
    } finally {
      first.stop();
    }
  }
}
