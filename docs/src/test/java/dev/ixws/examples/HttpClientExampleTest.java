package dev.ixws.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the guide's HTTP client example against the JDK's own HTTP server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpClientExampleTest {

  @Test
  void everyRequestOfTheGuideGetsItsAnswer() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] request = exchange.getRequestBody().readAllBytes();
          String answer =
              exchange.getRequestMethod()
                  + " foo="
                  + exchange.getRequestHeaders().getFirst("Foo")
                  + " body="
                  + new String(request, StandardCharsets.UTF_8);
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain");
          if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
          } else {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
          exchange.close();
        });
    server.start();
    try {
      List<String> log = new CopyOnWriteArrayList<>();
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
      List<String> results = HttpClientExample.run(url, log::add);
      assertEquals(
          List.of(
              "HEAD: OK 200  type=text/plain up=0 down=0",
              "GET: OK 200 GET foo=bar body= type=text/plain up=0 down=17",
              "POST parameters: OK 200 POST foo=bar body=foo=bar type=text/plain up=7 down=25",
              "POST body: OK 200 POST foo=bar body=foo=bar type=text/plain up=7 down=25",
              "async GET: OK 200 GET foo=null body= type=text/plain up=0 down=18"),
          results);
      assertTrue(log.contains("> HEAD /api HTTP/1.1\n"), log.toString());
      assertTrue(log.contains("< HTTP/1.1 200 OK\n"), log.toString());
    } finally {
      server.stop(0);
    }
  }
}
