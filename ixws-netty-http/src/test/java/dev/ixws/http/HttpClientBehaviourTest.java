package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.testkit.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the client sends and how it reuses connections, against scripted loopback servers. */
class HttpClientBehaviourTest {

  private final HttpClient client = new HttpClient(true);

  @AfterEach
  void close() {
    client.close();
  }

  /** A keep-alive server that answers each request with {@code answer(request)}. */
  private static ScriptedServer keepAlive(
      BlockingQueue<ScriptedServer.Request> seen,
      java.util.function.Function<ScriptedServer.Request, String> answer)
      throws IOException {
    return new ScriptedServer(
        conn -> {
          ScriptedServer.Request request;
          while ((request = conn.readRequest()) != null) {
            seen.add(request);
            conn.write(answer.apply(request));
          }
        });
  }

  private static ScriptedServer.Request take(BlockingQueue<ScriptedServer.Request> seen)
      throws InterruptedException {
    ScriptedServer.Request request = seen.poll(5, TimeUnit.SECONDS);
    assertNotNull(request, "the server got no request");
    return request;
  }

  @Test
  void getSendsTheDefaultHeadersAndReadsTheResponse() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server =
        keepAlive(seen, r -> ScriptedServer.ok("hello", "X-Thing: one", "x-thing: two"))) {
      HttpRequestArgs args =
          client
              .createRequest()
              .setExtraHeaders(WebSocketHttpHeaders.builder().set("Foo", "bar").build());
      HttpResponse response = client.get(server.url("/path?q=1"), args);
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(200, response.statusCode());
      assertEquals("OK", response.description());
      assertEquals("hello", response.body());
      assertEquals("hello", response.payload());
      assertEquals("one, two", response.headers().get("X-THING"));
      assertEquals(5, response.downloadSize());
      assertEquals(0, response.uploadSize());
      assertEquals("", response.errorMsg());
      ScriptedServer.Request request = take(seen);
      assertEquals("GET /path?q=1 HTTP/1.1", request.line());
      assertEquals("127.0.0.1:" + server.port(), request.header("Host"));
      assertTrue(request.header("User-Agent").startsWith("ixws-netty/"), request.head());
      assertEquals("*/*", request.header("Accept"));
      assertEquals("gzip, deflate", request.header("Accept-Encoding"));
      assertEquals("bar", request.header("Foo"));
      assertNull(request.header("Content-Length"));
    }
  }

  @Test
  void postOfParametersIsAnUrlEncodedForm() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok("done"))) {
      HttpParameters parameters = new HttpParameters().put("foo", "bar").put("a b", "c&d=é");
      HttpResponse response = client.post(server.url("/form"), parameters, client.createRequest());
      assertEquals(200, response.statusCode(), response.toString());
      ScriptedServer.Request request = take(seen);
      assertEquals("POST /form HTTP/1.1", request.line());
      assertEquals("foo=bar&a%20b=c%26d%3D%C3%A9", request.bodyText());
      assertEquals("application/x-www-form-urlencoded", request.header("Content-Type"));
      assertEquals(request.body().length, response.uploadSize());
    }
  }

  @Test
  void putPatchAndDeleteSendTheirVerbAndBody() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok(""))) {
      HttpRequestArgs args =
          client
              .createRequest()
              .setExtraHeaders(java.util.Map.of("Content-Type", "application/json"));
      client.put(server.url("/p"), "{\"a\":1}", args);
      ScriptedServer.Request put = take(seen);
      assertEquals("PUT /p HTTP/1.1", put.line());
      assertEquals("{\"a\":1}", put.bodyText());
      assertEquals("application/json", put.header("Content-Type"));
      client.patch(server.url("/p"), "x", args);
      assertEquals("PATCH /p HTTP/1.1", take(seen).line());
      client.del(server.url("/p"), args);
      assertEquals("DELETE /p HTTP/1.1", take(seen).line());
      HttpResponse head = client.head(server.url("/p"), args);
      assertEquals(200, head.statusCode());
      assertEquals("HEAD /p HTTP/1.1", take(seen).line());
      client.request(server.url("/p"), "OPTIONS", "", args);
      assertEquals("OPTIONS /p HTTP/1.1", take(seen).line());
      assertEquals(1, server.connections(), "all five requests on one kept-alive connection");
    }
  }

  @Test
  void compressRequestGzipsTheBody() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok(""))) {
      client.post(
          server.url("/"),
          "squeeze me squeeze me",
          client.createRequest().setCompressRequest(true));
      ScriptedServer.Request request = take(seen);
      assertEquals("gzip", request.header("Content-Encoding"));
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
        assertEquals(
            "squeeze me squeeze me", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void gzipResponseIsDecodedAndDownloadSizeCountsWireBytes() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(zipped)) {
      zip.write("compressed hello ".repeat(100).getBytes(StandardCharsets.UTF_8));
    }
    byte[] body = zipped.toByteArray();
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(
                  "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n");
              conn.write(body);
              conn.awaitClose();
            })) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals("compressed hello ".repeat(100), response.body());
      assertEquals(body.length, response.downloadSize());
    }
  }

  @Test
  void chunkedResponseIsCollected() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n");
              conn.awaitClose();
            })) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals("hello, world", response.body());
    }
  }

  @Test
  void keepAliveReusesOneConnectionForSequentialRequests() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok("x"))) {
      for (int i = 0; i < 10; i++) {
        assertEquals(200, client.get(server.url("/" + i), client.createRequest()).statusCode());
      }
      assertEquals(1, server.connections());
      assertEquals(1, client.idleConnections(server.url("/")));
    }
  }

  @Test
  void connectionCloseFromTheServerIsNotReused() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              seen.add(conn.readRequest());
              conn.write(ScriptedServer.ok("bye", "Connection: close"));
            })) {
      for (int i = 0; i < 3; i++) {
        assertEquals("bye", client.get(server.url("/"), client.createRequest()).body());
      }
      assertEquals(3, server.connections());
    }
  }

  @Test
  void staleKeptAliveConnectionIsRetriedOnceForGet() throws Exception {
    // Connection 0 answers once and then closes without a word on the next request (as a server
    // whose keep-alive timeout ran out just as the request left); connection 1 answers.
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              if (conn.index == 0) {
                conn.readRequest();
                conn.write(ScriptedServer.ok("first"));
                conn.readRequest();
                return;
              }
              conn.readRequest();
              conn.write(ScriptedServer.ok("second"));
              conn.awaitClose();
            })) {
      assertEquals("first", client.get(server.url("/"), client.createRequest()).body());
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals("second", response.body());
      assertEquals(2, server.connections());
    }
  }

  @Test
  void idleConnectionClosedByTheServerLeavesThePool() throws Exception {
    CountDownLatch secondServed = new CountDownLatch(1);
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(ScriptedServer.ok("once"));
              if (conn.index == 1) {
                secondServed.countDown();
                conn.awaitClose();
              }
              // connection 0: closes while idle, without announcing it
            })) {
      assertEquals("once", client.get(server.url("/"), client.createRequest()).body());
      Await.untilEquals(0, Duration.ofSeconds(5), () -> client.openConnections(server.url("/")));
      assertEquals("once", client.get(server.url("/"), client.createRequest()).body());
      assertTrue(secondServed.await(5, TimeUnit.SECONDS));
      assertEquals(2, server.connections());
    }
  }

  @Test
  void staleKeptAliveConnectionIsNotRetriedForPost() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(ScriptedServer.ok("first"));
              conn.readRequest();
            })) {
      assertEquals("first", client.get(server.url("/"), client.createRequest()).body());
      HttpResponse response = client.post(server.url("/"), "once only", client.createRequest());
      assertEquals(HttpErrorCode.CANNOT_READ_STATUS_LINE, response.errorCode());
      assertTrue(response.errorMsg().contains("POST is not retried"), response.errorMsg());
      assertEquals(1, server.connections());
    }
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    client.setIdleTimeout(1);
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok("x"))) {
      client.get(server.url("/"), client.createRequest());
      assertEquals(1, client.idleConnections(server.url("/")));
      Await.untilEquals(0, Duration.ofSeconds(5), () -> client.openConnections(server.url("/")));
    }
  }

  @Test
  void idleTimeoutZeroOpensAConnectionPerRequest() throws Exception {
    client.setIdleTimeout(0);
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok("x"))) {
      for (int i = 0; i < 3; i++) {
        assertEquals("x", client.get(server.url("/"), client.createRequest()).body());
      }
      assertEquals(3, server.connections());
      assertEquals(0, client.idleConnections(server.url("/")));
    }
  }

  @Test
  void manyAsyncRequestsRunAtOnceWithinTheConnectionLimit() throws Exception {
    client.setMaxConnectionsPerHost(4);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch fourArrived = new CountDownLatch(4);
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              ScriptedServer.Request request;
              while ((request = conn.readRequest()) != null) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                fourArrived.countDown();
                // Answer only once four requests are being served at once.
                fourArrived.await(5, TimeUnit.SECONDS);
                inFlight.decrementAndGet();
                conn.write(ScriptedServer.ok(request.line()));
              }
            })) {
      List<CompletableFuture<HttpResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        futures.add(
            client.performRequestAsync(client.createRequest(server.url("/" + i), HttpClient.GET)));
      }
      for (int i = 0; i < 40; i++) {
        HttpResponse response = futures.get(i).get(10, TimeUnit.SECONDS);
        assertEquals("GET /" + i + " HTTP/1.1", response.body(), response.toString());
      }
      assertEquals(4, server.connections());
      assertEquals(4, maxInFlight.get());
    }
  }

  @Test
  void performRequestCallsBackOffTheEventLoopAndIsRefusedBySyncClients() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok("async"));
        HttpClient sync = new HttpClient()) {
      HttpRequestArgs args = client.createRequest(server.url("/"), HttpClient.GET);
      assertFalse(sync.performRequest(args, response -> {}));
      BlockingQueue<String> threads = new LinkedBlockingQueue<>();
      BlockingQueue<HttpResponse> responses = new LinkedBlockingQueue<>();
      assertTrue(
          client.performRequest(
              args,
              response -> {
                threads.add(Thread.currentThread().getName());
                responses.add(response);
              }));
      HttpResponse response = responses.poll(5, TimeUnit.SECONDS);
      assertNotNull(response);
      assertEquals("async", response.body());
      String thread = threads.poll();
      assertTrue(thread.startsWith("ixws-http-callback-"), thread);
      assertEquals(1, seen.size(), "the sync client sent nothing");
    }
  }

  @Test
  void chunkCallbackStreamsTheBodyAndProgressCounts() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n");
              conn.write(big);
              conn.awaitClose();
            })) {
      ByteArrayOutputStream streamed = new ByteArrayOutputStream();
      List<long[]> progress = new ArrayList<>();
      HttpRequestArgs args =
          client
              .createRequest()
              .setOnChunkCallback(
                  chunk -> {
                    streamed.write(chunk, 0, chunk.length);
                  })
              .setOnProgressCallback(
                  (current, total) -> {
                    progress.add(new long[] {current, total});
                    return true;
                  });
      HttpResponse response = client.get(server.url("/"), args);
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(0, response.bodyBytes().length, "streamed, not collected");
      assertArrayEquals(big, streamed.toByteArray());
      assertEquals(big.length, response.downloadSize());
      long[] last = progress.get(progress.size() - 1);
      assertEquals(big.length, last[0]);
      assertEquals(big.length, last[1]);
      for (int i = 1; i < progress.size(); i++) {
        assertTrue(progress.get(i)[0] > progress.get(i - 1)[0]);
      }
    }
  }

  @Test
  void progressCallbackReturningFalseCancels() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n");
              byte[] piece = new byte[8192];
              while (true) {
                conn.write(piece);
              }
            })) {
      HttpRequestArgs args =
          client.createRequest().setOnProgressCallback((current, total) -> current < 100_000);
      HttpResponse response = client.get(server.url("/"), args);
      assertEquals(HttpErrorCode.CANCELLED, response.errorCode(), response.toString());
    }
  }

  @Test
  void cancelEndsARequestInFlight() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              arrived.countDown();
              conn.awaitClose();
            })) {
      HttpRequestArgs args = client.createRequest(server.url("/"), HttpClient.GET);
      CompletableFuture<HttpResponse> future = client.performRequestAsync(args);
      assertTrue(arrived.await(5, TimeUnit.SECONDS));
      args.cancel();
      HttpResponse response = future.get(5, TimeUnit.SECONDS);
      assertEquals(HttpErrorCode.CANCELLED, response.errorCode());
      assertTrue(args.isCancelled());
      assertEquals(
          HttpErrorCode.CANCELLED,
          client.get(server.url("/"), args).errorCode(),
          "still cancelled");
    }
  }

  @Test
  void interruptingASynchronousCallCancelsThatRequestOnly() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    try (ScriptedServer server =
            new ScriptedServer(
                conn -> {
                  conn.readRequest();
                  arrived.countDown();
                  conn.awaitClose();
                });
        HttpClient sync = new HttpClient()) {
      HttpRequestArgs args = sync.createRequest();
      CompletableFuture<HttpResponse> result = new CompletableFuture<>();
      CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                result.complete(sync.get(server.url("/"), args));
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
              });
      caller.start();
      assertTrue(arrived.await(5, TimeUnit.SECONDS));
      caller.interrupt();
      assertEquals(HttpErrorCode.CANCELLED, result.get(5, TimeUnit.SECONDS).errorCode());
      assertTrue(stillInterrupted.get(5, TimeUnit.SECONDS));
      assertFalse(args.isCancelled(), "the args stay usable");
    }
  }

  @Test
  void redirectsFollowRfc9110MethodRules() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server =
        keepAlive(
            seen,
            r -> {
              String path = r.line().split(" ")[1];
              return switch (path) {
                case "/303" ->
                    r.line().startsWith("HEAD")
                        ? "HTTP/1.1 303 See Other\r\nLocation: /final\r\nContent-Length: 4\r\n\r\n"
                        : "HTTP/1.1 303 See Other\r\nLocation: /final\r\nContent-Length: 4\r\n\r\nbody";
                case "/307" ->
                    "HTTP/1.1 307 Temporary\r\nLocation: /final\r\nContent-Length: 0\r\n\r\n";
                case "/301" -> "HTTP/1.1 301 Moved\r\nLocation: final\r\nContent-Length: 0\r\n\r\n";
                default -> ScriptedServer.ok(r.line().split(" ")[0] + " " + r.bodyText());
              };
            })) {
      HttpRequestArgs args =
          client.createRequest().setExtraHeaders(java.util.Map.of("Authorization", "Bearer t"));
      assertEquals("GET ", client.post(server.url("/303"), "data", args).body());
      assertEquals("POST data", client.post(server.url("/307"), "data", args).body());
      assertEquals("GET ", client.post(server.url("/301"), "data", args).body());
      assertEquals("PUT data", client.put(server.url("/301"), "data", args).body());
      seen.clear();
      HttpResponse head = client.head(server.url("/303"), args);
      assertEquals(200, head.statusCode());
      take(seen);
      assertEquals("HEAD /final HTTP/1.1", take(seen).line());
    }
  }

  @Test
  void crossOriginRedirectDropsAuthorization() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer target = keepAlive(seen, r -> ScriptedServer.ok("there"));
        ScriptedServer origin =
            keepAlive(
                new LinkedBlockingQueue<>(),
                r ->
                    "HTTP/1.1 302 Found\r\nLocation: "
                        + target.url("/landed")
                        + "\r\nContent-Length: 0\r\n\r\n")) {
      HttpRequestArgs args =
          client
              .createRequest()
              .setExtraHeaders(java.util.Map.of("Authorization", "Bearer secret", "X-Keep", "1"));
      HttpResponse response = client.get(origin.url("/"), args);
      assertEquals("there", response.body());
      ScriptedServer.Request landed = take(seen);
      assertEquals("GET /landed HTTP/1.1", landed.line());
      assertNull(landed.header("Authorization"));
      assertEquals("1", landed.header("X-Keep"));
    }
  }

  @Test
  void verboseLogsTheRequestAndResponseHeads() throws Exception {
    BlockingQueue<ScriptedServer.Request> seen = new LinkedBlockingQueue<>();
    try (ScriptedServer server = keepAlive(seen, r -> ScriptedServer.ok("x", "X-Reply: yes"))) {
      List<String> lines = new ArrayList<>();
      HttpRequestArgs args = client.createRequest().setVerbose(true).setLogger(lines::add);
      client.get(server.url("/v"), args);
      assertEquals("> GET /v HTTP/1.1\n", lines.get(0));
      assertTrue(lines.contains("< HTTP/1.1 200 OK\n"), lines.toString());
      assertTrue(lines.contains("< X-Reply: yes\n"), lines.toString());
    }
  }

  @Test
  void callerMistakesThrowOnTheCallersThread() {
    HttpRequestArgs args = client.createRequest();
    assertThrows(IllegalArgumentException.class, () -> args.setVerb("GE T"));
    assertThrows(IllegalArgumentException.class, () -> args.setConnectTimeout(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> args.setExtraHeaders(java.util.Map.of("X", "a\r\nInjected: 1")));
    assertThrows(NullPointerException.class, () -> client.get(null, args));
  }

  @Test
  void argsHaveIxDefaults() {
    HttpRequestArgs args = client.createRequest();
    assertEquals("", args.getUrl());
    assertEquals("GET", args.getVerb());
    assertEquals(60, args.getConnectTimeout());
    assertEquals(1800, args.getTransferTimeout());
    assertTrue(args.isFollowRedirects());
    assertEquals(5, args.getMaxRedirects());
    assertFalse(args.isVerbose());
    assertTrue(args.isCompress());
    assertFalse(args.isCompressRequest());
    assertFalse(args.isCancelled());
    assertEquals(0, args.getBody().length);
    HttpRequestArgs posted = client.createRequest("http://x/", HttpClient.POST);
    assertEquals("http://x/", posted.getUrl());
    assertEquals("POST", posted.getVerb());
    assertEquals(100, HttpErrorCode.INVALID.value());
    assertEquals(15, HttpErrorCode.CANCELLED.value());
    assertEquals(4, HttpErrorCode.URL_MALFORMED.value());
  }
}
