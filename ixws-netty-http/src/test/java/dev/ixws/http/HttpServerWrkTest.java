package dev.ixws.http;

import static dev.ixws.http.ServerFixture.run;
import static dev.ixws.http.ServerFixture.started;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A short keep-alive load from {@code wrk} (a client nobody here wrote): 2 s, 8 connections; every
 * answer is a 200, no socket errors, and the requests share wrk's 8 connections (keep-alive: no
 * connection per request).
 */
class HttpServerWrkTest {

  @Test
  void wrkKeepAliveLoadGetsOnly200sOverItsEightConnections() throws Exception {
    Set<String> connections = ConcurrentHashMap.newKeySet();
    AtomicLong handled = new AtomicLong();
    HttpServer server = new HttpServer(0);
    server.setOnConnectionCallback(
        (request, state) -> {
          connections.add(state.getId());
          handled.incrementAndGet();
          return HttpResponse.ok("hello from ixws\n");
        });
    started(server);
    try {
      String out =
          run(
              List.of(
                  "wrk",
                  "-t",
                  "2",
                  "-c",
                  "8",
                  "-d",
                  "2s",
                  "--timeout",
                  "5s",
                  "--latency",
                  "http://127.0.0.1:" + server.getPort() + "/small"));
      assertFalse(out.contains("Non-2xx"), out);
      assertFalse(out.contains("Socket errors"), out);
      Matcher total = Pattern.compile("(\\d+) requests in").matcher(out);
      assertTrue(total.find(), out);
      long requests = Long.parseLong(total.group(1));
      assertTrue(requests >= 1000, "only " + requests + " requests in 2 s: " + out);
      // wrk counts completed responses; the server may have handled a few more when it stopped.
      assertTrue(handled.get() >= requests, handled + " handled < " + requests);
      assertEquals(8, connections.size(), "requests spread over: " + connections.size());
    } finally {
      server.stop();
    }
  }
}
