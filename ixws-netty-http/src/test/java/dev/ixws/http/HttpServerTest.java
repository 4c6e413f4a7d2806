package dev.ixws.http;

import static dev.ixws.http.ServerFixture.connect;
import static dev.ixws.http.ServerFixture.readResponse;
import static dev.ixws.http.ServerFixture.readUntilClose;
import static dev.ixws.http.ServerFixture.send;
import static dev.ixws.http.ServerFixture.started;
import static dev.ixws.http.ServerFixture.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketHttpHeaders;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server over real loopback sockets: our client, and raw sockets for exact wire checks. */
class HttpServerTest {

  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(HttpServer::stop);
  }

  private HttpServer server(OnHttpConnectionCallback callback) {
    HttpServer server = new HttpServer(0);
    server.setOnConnectionCallback(callback);
    servers.add(server);
    return started(server);
  }

  private static OnHttpConnectionCallback guideExample() {
    return (request, state) ->
        new HttpResponse(
            200,
            "OK",
            HttpErrorCode.OK,
            WebSocketHttpHeaders.EMPTY,
            request.method() + " " + request.uri());
  }

  @Test
  void guideExampleAnswersMethodAndUriWithDateAndLength() {
    HttpServer server = server(guideExample());
    try (HttpClient client = new HttpClient()) {
      HttpResponse response =
          client.get("http://127.0.0.1:" + server.getPort() + "/a/b?c=d", client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(200, response.statusCode());
      assertEquals("GET /a/b?c=d", response.body());
      assertEquals("12", response.headers().get("content-length"));
      assertNotNull(response.headers().get("Date"));
    }
  }

  @Test
  void requestCarriesDecodedPathQueryHeadersBodyAndRemoteAddress() {
    CopyOnWriteArrayList<HttpRequest> seen = new CopyOnWriteArrayList<>();
    HttpServer server =
        server(
            (request, state) -> {
              seen.add(request);
              return HttpResponse.ok(state.getRemoteIp());
            });
    try (HttpClient client = new HttpClient()) {
      HttpRequestArgs args = client.createRequest();
      args.setExtraHeaders(WebSocketHttpHeaders.builder().set("X-Thing", "v1").build());
      HttpResponse response =
          client.post(
              "http://127.0.0.1:" + server.getPort() + "/caf%C3%A9/x%20y?q=a+b&q=c&e=%C3%A9",
              "héllo",
              args);
      assertEquals(200, response.statusCode(), response.errorMsg());
      assertEquals("127.0.0.1", response.body());
    }
    HttpRequest request = seen.get(0);
    assertEquals("POST", request.method());
    assertEquals("/caf%C3%A9/x%20y?q=a+b&q=c&e=%C3%A9", request.uri());
    assertEquals("/café/x y", request.path());
    assertEquals(List.of("a b", "c"), request.queryParameters().get("q"));
    assertEquals("é", request.queryParameter("e"));
    assertEquals("HTTP/1.1", request.version());
    assertEquals("v1", request.headers().get("x-thing"));
    assertEquals("héllo", request.body());
    assertEquals("127.0.0.1", request.remoteIp());
    assertTrue(request.remotePort() > 0);
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnectionWithOneState() throws Exception {
    HttpServer server = server((request, state) -> HttpResponse.ok(state.getId()));
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
      String first = readResponse(socket);
      send(socket, "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
      String second = readResponse(socket);
      assertTrue(first.startsWith("HTTP/1.1 200 OK\r\n"), first);
      assertFalse(first.toLowerCase().contains("connection: close"), first);
      String id = first.substring(first.indexOf("\r\n\r\n") + 4);
      assertEquals(id, second.substring(second.indexOf("\r\n\r\n") + 4));
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlowest() throws Exception {
    HttpServer server =
        server(
            (request, state) -> {
              if (request.path().equals("/slow")) {
                try {
                  Thread.sleep(300); // a slow handler: the point of the test
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return HttpResponse.ok(request.path());
            });
    try (Socket socket = connect(server.getPort())) {
      send(
          socket,
          "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
              + "GET /fast1 HTTP/1.1\r\nHost: x\r\n\r\n"
              + "POST /fast2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
              + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String wire = readUntilClose(socket);
      assertEquals(List.of(200, 200, 200, 200), statuses(wire), wire);
      int slow = wire.indexOf("\r\n\r\n/slow");
      int fast1 = wire.indexOf("\r\n\r\n/fast1");
      int fast2 = wire.indexOf("\r\n\r\n/fast2");
      int last = wire.indexOf("\r\n\r\n/last");
      assertTrue(0 < slow && slow < fast1 && fast1 < fast2 && fast2 < last, wire);
      assertTrue(wire.toLowerCase().contains("connection: close"), wire);
    }
  }

  @Test
  void http10WithoutKeepAliveIsClosedAfterTheResponse() throws Exception {
    HttpServer server = server(guideExample());
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /old HTTP/1.0\r\n\r\n");
      String wire = readUntilClose(socket);
      assertTrue(wire.startsWith("HTTP/1.0 200 OK\r\n"), wire);
      assertTrue(wire.endsWith("GET /old"), wire);
    }
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      String first = readResponse(socket);
      assertTrue(first.toLowerCase().contains("connection: keep-alive"), first);
      send(socket, "GET /b HTTP/1.0\r\n\r\n");
      assertTrue(readUntilClose(socket).endsWith("GET /b"));
    }
  }

  @Test
  void connectionCloseIsHonoured() throws Exception {
    HttpServer server = server(guideExample());
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String wire = readUntilClose(socket);
      assertEquals(List.of(200), statuses(wire));
      assertTrue(wire.toLowerCase().contains("connection: close"), wire);
    }
  }

  @Test
  void chunkedRequestBodyArrivesWhole() throws Exception {
    HttpServer server = server((request, state) -> HttpResponse.ok("<" + request.body() + ">"));
    try (Socket socket = connect(server.getPort())) {
      send(
          socket,
          "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
      String response = readResponse(socket);
      assertTrue(response.endsWith("<hello world>"), response);
    }
  }

  @Test
  void expectContinueGets100ThenTheAnswer() throws Exception {
    HttpServer server = server((request, state) -> HttpResponse.ok(request.body()));
    try (Socket socket = connect(server.getPort())) {
      send(
          socket,
          "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      String interim = readResponse(socket);
      assertTrue(interim.startsWith("HTTP/1.1 100 Continue\r\n"), interim);
      send(socket, "data");
      String response = readResponse(socket);
      assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
      assertTrue(response.endsWith("\r\n\r\ndata"), response);
    }
  }

  @Test
  void expectContinueWithTooLargeBodyGets413WithoutContinue() throws Exception {
    HttpServer server = new HttpServer(0);
    server.setMaxBodySize(10);
    server.setOnConnectionCallback(guideExample());
    servers.add(started(server));
    try (Socket socket = connect(server.getPort())) {
      send(
          socket,
          "PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
      String wire = readUntilClose(socket);
      assertEquals(List.of(413), statuses(wire), wire);
    }
  }

  @Test
  void headIsAnsweredWithTheLengthButNoBody() throws Exception {
    HttpServer server = server((request, state) -> HttpResponse.ok("twelve bytes"));
    try (Socket socket = connect(server.getPort())) {
      send(socket, "HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = readResponse(socket);
      // readResponse would have read the body: the next bytes must be the GET's status line.
      assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
      assertTrue(head.contains("content-length: 12"), head);
      // The "body" read for the HEAD was the GET's response start.
      assertTrue(head.endsWith("HTTP/1.1 200"), head);
    }
  }

  @Test
  void oversizedPartsGetTheirStatusAndClose() throws Exception {
    HttpServer server = new HttpServer(0);
    server.setMaxBodySize(100);
    server.setOnConnectionCallback(guideExample());
    servers.add(started(server));
    assertEquals(List.of(414), exchange(server, "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n"));
    assertEquals(
        List.of(431),
        exchange(server, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n"));
    assertEquals(
        List.of(413),
        exchange(server, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n"));
    assertEquals(
        List.of(413),
        exchange(
            server,
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "40\r\n"
                + "c".repeat(64)
                + "\r\n40\r\n"
                + "c".repeat(64)
                + "\r\n0\r\n\r\n"));
  }

  @Test
  void smugglingShapesGet400AndClose() throws Exception {
    HttpServer server = server(guideExample());
    assertEquals(
        List.of(400),
        exchange(
            server,
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n"));
    assertEquals(
        List.of(400),
        exchange(
            server,
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    assertEquals(
        List.of(400),
        exchange(
            server,
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"));
    assertEquals(List.of(400), exchange(server, "GET / HTTP/1.1\nHost: x\n\n"));
    assertEquals(List.of(400), exchange(server, "NOT HTTP AT ALL\r\n\r\n"));
  }

  @Test
  void http11WithoutHostOrWithTwoHostsGets400AndClose() throws Exception {
    HttpServer server = server(guideExample());
    // RFC 9112 section 3.2.
    assertEquals(List.of(400), exchange(server, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"));
    assertEquals(List.of(400), exchange(server, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
    assertEquals(List.of(400), exchange(server, "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n"));
    assertEquals(List.of(400), exchange(server, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"));
    // After a good request on the same connection, a Host-less one is answered 400 in order.
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /bad HTTP/1.1\r\n\r\n");
      assertEquals(List.of(200, 400), statuses(readUntilClose(socket)));
    }
    // HTTP/1.0 may omit it; an empty Host (an authority-less URI) and a port are fine.
    assertEquals(List.of(200), exchange(server, "GET / HTTP/1.0\r\n\r\n"));
    assertEquals(
        List.of(200), exchange(server, "GET / HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n"));
    assertEquals(
        List.of(200),
        exchange(server, "GET / HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n"));
  }

  /** The statuses the server sends for {@code request} until it closes. */
  private static List<Integer> exchange(HttpServer server, String request) throws Exception {
    try (Socket socket = connect(server.getPort())) {
      send(socket, request);
      String wire = readUntilClose(socket);
      return statuses(wire);
    }
  }

  @Test
  void throwingCallbackGives500AndTheConnectionGoesOn() throws Exception {
    HttpServer server =
        server(
            (request, state) -> {
              if (request.path().equals("/boom")) {
                throw new IllegalStateException("boom on purpose");
              }
              return request.path().equals("/null") ? null : HttpResponse.ok("fine");
            });
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(socket).startsWith("HTTP/1.1 500 "));
      send(socket, "GET /null HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(socket).startsWith("HTTP/1.1 500 "));
      send(socket, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(socket).endsWith("fine"));
    }
  }

  @Test
  void clientsBeyondMaxConnectionsGet503AndOthersAreServed() throws Exception {
    HttpServer server = new HttpServer(0, "127.0.0.1", 5, 2, 30);
    server.setOnConnectionCallback(guideExample());
    servers.add(started(server));
    try (Socket a = connect(server.getPort());
        Socket b = connect(server.getPort())) {
      send(a, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(a).endsWith("GET /a"));
      send(b, "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(b).endsWith("GET /b"));
      assertEquals(List.of(503), exchange(server, "GET /c HTTP/1.1\r\nHost: x\r\n\r\n"));
      send(a, "GET /a2 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(a).endsWith("GET /a2"));
    }
    // Both closed: a new client is admitted again once the server saw the closes.
    dev.ixws.testkit.Await.until(
        "a slot frees",
        Duration.ofSeconds(5),
        () -> {
          try {
            return exchange(server, "GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .equals(List.of(200));
          } catch (Exception e) {
            return false;
          }
        });
  }

  @Test
  void slowlorisIsAnswered408AndDroppedWhileOthersAreServed() throws Exception {
    HttpServer server = new HttpServer(0, "127.0.0.1", 5, 32, 1);
    server.setOnConnectionCallback(guideExample());
    servers.add(started(server));
    try (Socket slow = connect(server.getPort())) {
      long start = System.nanoTime();
      send(slow, "GET /slow HTTP/1.1\r\nHost: x\r\n");
      try (Socket other = connect(server.getPort())) {
        send(other, "GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(readResponse(other).endsWith("GET /other"));
      }
      send(slow, "X-A: 1\r\n");
      String wire = readUntilClose(slow);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertEquals(List.of(408), statuses(wire), wire);
      assertTrue(millis >= 900 && millis < 4000, "dropped after " + millis + " ms");
    }
  }

  @Test
  void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    HttpServer server = new HttpServer(0);
    server.setIdleTimeout(1);
    server.setOnConnectionCallback(guideExample());
    servers.add(started(server));
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
      readResponse(socket);
      long start = System.nanoTime();
      assertEquals("", readUntilClose(socket));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= 800 && millis < 4000, "closed after " + millis + " ms");
    }
  }

  @Test
  void asyncCallbackAnswersWhenItsFutureCompletes() throws Exception {
    HttpServer server = new HttpServer(0);
    CountDownLatch release = new CountDownLatch(1);
    server.setOnAsyncConnectionCallback(
        (request, state) ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    release.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  if (request.path().equals("/fail")) {
                    throw new IllegalStateException("failed on purpose");
                  }
                  return HttpResponse.of(201, "later");
                }));
    servers.add(started(server));
    try (HttpClient client = new HttpClient()) {
      CompletableFuture<HttpResponse> pending =
          client.performRequestAsync(
              client.createRequest("http://127.0.0.1:" + server.getPort() + "/x", "GET"));
      assertFalse(pending.isDone());
      release.countDown();
      HttpResponse response = pending.get(5, TimeUnit.SECONDS);
      assertEquals(201, response.statusCode(), response.errorMsg());
      assertEquals("Created", response.description());
      assertEquals("later", response.body());
      assertEquals(
          500,
          client
              .get("http://127.0.0.1:" + server.getPort() + "/fail", client.createRequest())
              .statusCode());
    }
  }

  @Test
  void streamOfUnknownLengthIsSentChunkedAndKnownLengthWithContentLength() throws Exception {
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    HttpServer server =
        server(
            (request, state) -> {
              InputStream in = new ByteArrayInputStream(data);
              return HttpResponse.stream(
                  200,
                  "OK",
                  WebSocketHttpHeaders.EMPTY,
                  in,
                  request.path().equals("/known") ? data.length : -1);
            });
    try (HttpClient client = new HttpClient()) {
      HttpResponse chunked =
          client.get("http://127.0.0.1:" + server.getPort() + "/unknown", client.createRequest());
      assertEquals(200, chunked.statusCode(), chunked.errorMsg());
      assertEquals("chunked", chunked.headers().get("Transfer-Encoding"));
      assertTrue(java.util.Arrays.equals(data, chunked.bodyBytes()));
      HttpResponse known =
          client.get("http://127.0.0.1:" + server.getPort() + "/known", client.createRequest());
      assertEquals(String.valueOf(data.length), known.headers().get("Content-Length"));
      assertTrue(java.util.Arrays.equals(data, known.bodyBytes()));
    }
  }

  @Test
  void textBodiesAreGzippedForClientsThatAcceptIt() throws Exception {
    String text = "compress me please ".repeat(200);
    HttpServer server = server((request, state) -> HttpResponse.ok(text));
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n");
      String response = readResponse(socket);
      assertTrue(response.toLowerCase().contains("content-encoding: gzip"), response);
      String body = response.substring(response.indexOf("\r\n\r\n") + 4);
      byte[] raw = body.getBytes(StandardCharsets.ISO_8859_1);
      assertTrue(raw.length < text.length() / 4, "gzipped to " + raw.length);
      try (InputStream in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(raw))) {
        assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
      send(socket, "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0\r\n\r\n");
      assertTrue(readResponse(socket).endsWith(text));
    }
  }

  @Test
  void obsoleteLineFoldingGets400() throws Exception {
    HttpServer server = server(guideExample());
    assertEquals(
        List.of(400), exchange(server, "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n"));
  }

  @Test
  void clientThatStopsReadingIsDroppedAndOthersAreServed() throws Exception {
    // An endless body: the server can only stop by giving up on the client.
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'z';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'z');
            return len;
          }
        };
    // Two connections at most: the stalled one holds a slot until the server drops it.
    HttpServer server = new HttpServer(0, "127.0.0.1", 5, 2, 1);
    server.setOnConnectionCallback(
        (request, state) ->
            request.path().equals("/huge")
                ? HttpResponse.stream(200, "OK", WebSocketHttpHeaders.EMPTY, endless, -1)
                : HttpResponse.ok("small"));
    servers.add(started(server));
    try (Socket stalled = connect(server.getPort());
        Socket other = connect(server.getPort())) {
      send(stalled, "GET /huge HTTP/1.1\r\nHost: x\r\n\r\n");
      long start = System.nanoTime();
      send(other, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(other).endsWith("small"));
      assertEquals(List.of(503), exchange(server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      // The stalled client never reads; about 1 s without progress and the server drops it.
      dev.ixws.testkit.Await.until(
          "the stalled connection is dropped",
          Duration.ofSeconds(8),
          () -> {
            try {
              return exchange(server, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .equals(List.of(200));
            } catch (Exception e) {
              return false;
            }
          });
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= 900, "dropped after " + millis + " ms");
      send(other, "GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(readResponse(other).endsWith("small"), "the other connection still works");
    }
  }

  @Test
  void redirectServerAnswers301WithTheLocationAndPostWith200() throws Exception {
    HttpServer server = new HttpServer(0);
    server.makeRedirectServer("https://example.com/");
    servers.add(started(server));
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET /anything HTTP/1.1\r\nHost: x\r\n\r\n");
      String response = readResponse(socket);
      assertTrue(response.startsWith("HTTP/1.1 301 OK"), response);
      assertTrue(response.toLowerCase().contains("location: https://example.com/\r\n"), response);
      send(socket, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz");
      assertTrue(readResponse(socket).startsWith("HTTP/1.1 200 OK"));
    }
  }

  @Test
  void debugServerAnswersOk() throws Exception {
    HttpServer server = new HttpServer(0);
    server.makeDebugServer();
    servers.add(started(server));
    try (HttpClient client = new HttpClient()) {
      HttpResponse response =
          client.post(
              "http://127.0.0.1:" + server.getPort() + "/d", "body", client.createRequest());
      assertEquals(200, response.statusCode(), response.errorMsg());
      assertEquals("OK", response.body());
    }
  }

  @Test
  void stopFreesThePortClosesConnectionsAndWakesAwaitStop() throws Exception {
    HttpServer server = server(guideExample());
    int port = server.getPort();
    try (Socket socket = connect(port)) {
      send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      readResponse(socket);
      assertFalse(server.awaitStop(10, TimeUnit.MILLISECONDS));
      server.stop();
      assertTrue(server.awaitStop(1, TimeUnit.SECONDS));
      assertEquals("", readUntilClose(socket));
    }
    HttpServer again = new HttpServer(port);
    servers.add(again);
    assertTrue(again.listen().ok(), "the port is free again");
    assertFalse(again.listen().ok(), "listen twice");
  }

  @Test
  void listenOnABusyPortFailsWithAReason() {
    HttpServer first = server(guideExample());
    HttpServer second = new HttpServer(first.getPort());
    servers.add(second);
    dev.ixws.ListenResult result = second.listen();
    assertFalse(result.ok());
    assertTrue(
        result.errorMessage().contains(String.valueOf(first.getPort())), result.errorMessage());
  }

  @Test
  void aBlockedHandlerDoesNotStallOtherConnections() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server =
        server(
            (request, state) -> {
              if (request.path().equals("/block")) {
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return HttpResponse.ok(request.path());
            });
    try (Socket blocked = connect(server.getPort())) {
      send(blocked, "GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
      for (int i = 0; i < 5; i++) {
        try (Socket other = connect(server.getPort())) {
          send(other, "GET /free" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
          assertTrue(readResponse(other).endsWith("/free" + i));
        }
      }
      release.countDown();
      assertTrue(readResponse(blocked).endsWith("/block"));
    }
  }

  @Test
  void setTerminatedClosesTheConnectionAfterTheResponse() throws Exception {
    HttpServer server =
        server(
            (request, state) -> {
              state.setTerminated();
              return HttpResponse.ok("bye");
            });
    try (Socket socket = connect(server.getPort())) {
      send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      String wire = readUntilClose(socket);
      assertEquals(List.of(200), statuses(wire));
      assertTrue(wire.toLowerCase().contains("connection: close"), wire);
    }
  }

  @Test
  void aRefusedClientThatSaysNothingHoldsNoSlot() throws Exception {
    HttpServer server = new HttpServer(0, "127.0.0.1", 5, 1, 30);
    server.setOnConnectionCallback(guideExample());
    servers.add(started(server));
    Socket first = connect(server.getPort());
    send(first, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(readResponse(first).endsWith("GET /first"));
    try (Socket silent = connect(server.getPort())) {
      // A probe after the silent one is refused: the server has seen both.
      assertEquals(List.of(503), exchange(server, "GET / HTTP/1.1\r\n\r\n"));
      first.close();
      dev.ixws.testkit.Await.until(
          "a new client is admitted while the refused one still waits",
          Duration.ofSeconds(5),
          () -> {
            try {
              return exchange(server, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .equals(List.of(200));
            } catch (Exception e) {
              return false;
            }
          });
      send(silent, "GET /late HTTP/1.1\r\nHost: x\r\n\r\n");
      assertEquals(List.of(503), statuses(readUntilClose(silent)), "it was refused all along");
    }
  }
}
