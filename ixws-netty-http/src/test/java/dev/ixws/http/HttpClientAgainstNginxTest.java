package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our client against nginx (a server nobody here wrote): files, gzip, redirects, keep-alive. */
class HttpClientAgainstNginxTest {

  private static NginxPeer nginx;
  private static byte[] binary;
  private static String text;

  @BeforeAll
  static void start() throws Exception {
    nginx = NginxPeer.start();
    binary = new byte[2 * 1024 * 1024 + 3];
    new Random(42).nextBytes(binary);
    text = "All work and no play makes Jack a dull boy.\n".repeat(20_000);
    Files.write(nginx.www().resolve("blob.bin"), binary);
    Files.writeString(nginx.www().resolve("big.txt"), text);
    Files.writeString(nginx.www().resolve("hello.txt"), "hello from nginx\n");
    for (String name : List.of("blob.bin", "big.txt", "hello.txt")) {
      Files.setPosixFilePermissions(
          nginx.www().resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.setPosixFilePermissions(nginx.www(), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void stop() throws Exception {
    nginx.close();
  }

  @Test
  void staticBinaryFileArrivesByteForByte() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response =
          client.get(nginx.url("/blob.bin"), client.createRequest().setCompress(false));
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(200, response.statusCode());
      assertArrayEquals(binary, response.bodyBytes());
      assertEquals(String.valueOf(binary.length), response.headers().get("content-length"));
      assertEquals(binary.length, response.downloadSize());
    }
  }

  @Test
  void gzipResponseIsDecodedAndSmallerOnTheWire() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.get(nginx.url("/big.txt"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(text, response.body());
      assertTrue(
          response.downloadSize() < text.length() / 10,
          "gzip on the wire: " + response.downloadSize() + " bytes");
      HttpResponse plain =
          client.get(nginx.url("/big.txt"), client.createRequest().setCompress(false));
      assertEquals(text, plain.body());
      assertEquals(text.length(), plain.downloadSize());
    }
  }

  @Test
  void headHasHeadersAndNoBody() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.head(nginx.url("/blob.bin"), client.createRequest());
      assertEquals(200, response.statusCode(), response.toString());
      assertEquals(String.valueOf(binary.length), response.headers().get("Content-Length"));
      assertEquals(0, response.bodyBytes().length);
    }
  }

  @Test
  void headOfAGzippedResourceHasNoBodyAndNoError() {
    try (HttpClient client = new HttpClient()) {
      for (int i = 0; i < 3; i++) {
        HttpResponse response = client.head(nginx.url("/big.txt"), client.createRequest());
        assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
        assertEquals(200, response.statusCode());
        assertEquals(0, response.bodyBytes().length);
      }
      HttpResponse after = client.get(nginx.url("/hello.txt"), client.createRequest());
      assertEquals("hello from nginx\n", after.body(), "the connection is still in step");
    }
  }

  @Test
  void missingFileIsA404ThatWorked() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.get(nginx.url("/nope"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode());
      assertEquals(404, response.statusCode());
      assertEquals("Not Found", response.description());
      assertTrue(response.body().contains("404"), response.body());
    }
  }

  @Test
  void redirectsOfEachKindAreFollowed() {
    try (HttpClient client = new HttpClient()) {
      HttpRequestArgs args = client.createRequest();
      assertEquals("hello from nginx\n", client.get(nginx.url("/moved"), args).body());
      assertEquals("hello from nginx\n", client.get(nginx.url("/absolute"), args).body());
      assertEquals("GET", client.post(nginx.url("/see-other"), "x=1", args).body());
      assertEquals("POST", client.post(nginx.url("/temporary"), "x=1", args).body());
      assertEquals("PUT", client.put(nginx.url("/permanent"), "x=1", args).body());
      HttpResponse loop = client.get(nginx.url("/loop"), args);
      assertEquals(HttpErrorCode.TOO_MANY_REDIRECTS, loop.errorCode(), loop.toString());
      HttpResponse notFollowed =
          client.get(nginx.url("/moved"), client.createRequest().setFollowRedirects(false));
      assertEquals(301, notFollowed.statusCode());
      assertTrue(notFollowed.headers().get("Location").endsWith("/hello.txt"));
    }
  }

  @Test
  void sequentialRequestsShareOneConnectionAsNginxSeesIt() {
    try (HttpClient client = new HttpClient()) {
      for (int i = 0; i < 10; i++) {
        HttpResponse response =
            client.get(nginx.url("/hello.txt?keepalive=" + i), client.createRequest());
        assertEquals(200, response.statusCode(), response.toString());
      }
      Await.until(
          "nginx logged the 10 requests",
          Duration.ofSeconds(5),
          () -> keepAliveLines().size() == 10);
      Set<String> connections =
          keepAliveLines().stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
      assertEquals(1, connections.size(), keepAliveLines().toString());
      assertTrue(keepAliveLines().get(9).startsWith(connections.iterator().next() + " 10 GET"));
    }
  }

  private static List<String> keepAliveLines() {
    return nginx.accessLog().stream().filter(l -> l.contains("keepalive=")).toList();
  }

  @Test
  void concurrentAsyncRequestsAreBoundedByTheConnectionLimit() throws Exception {
    try (HttpClient client = new HttpClient(true)) {
      client.setMaxConnectionsPerHost(3);
      List<CompletableFuture<HttpResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        futures.add(
            client.performRequestAsync(
                client.createRequest(nginx.url("/hello.txt?concurrent=" + i), HttpClient.GET)));
      }
      for (CompletableFuture<HttpResponse> future : futures) {
        HttpResponse response = future.get(10, TimeUnit.SECONDS);
        assertEquals("hello from nginx\n", response.body(), response.toString());
      }
      Await.until(
          "nginx logged the 30 requests",
          Duration.ofSeconds(5),
          () -> nginx.accessLog().stream().filter(l -> l.contains("concurrent=")).count() == 30);
      Set<String> connections =
          nginx.accessLog().stream()
              .filter(l -> l.contains("concurrent="))
              .map(l -> l.split(" ")[0])
              .collect(Collectors.toSet());
      assertTrue(connections.size() <= 3, "connections: " + connections);
    }
  }

  @Test
  void chunkCallbackStreamsAFileFromNginx() {
    try (HttpClient client = new HttpClient()) {
      java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
      HttpRequestArgs args =
          client
              .createRequest()
              .setCompress(false)
              .setOnChunkCallback(chunk -> streamed.write(chunk, 0, chunk.length));
      HttpResponse response = client.get(nginx.url("/blob.bin"), args);
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertArrayEquals(binary, streamed.toByteArray());
      assertEquals(0, response.body().getBytes(StandardCharsets.UTF_8).length);
    }
  }
}
