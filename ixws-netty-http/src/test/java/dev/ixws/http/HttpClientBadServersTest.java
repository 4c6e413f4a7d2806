package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our client against raw-socket servers that break HTTP in every way: each gives one error code.
 */
class HttpClientBadServersTest {

  private final HttpClient client = new HttpClient();

  @AfterEach
  void close() {
    client.close();
  }

  private HttpResponse getFrom(String raw) throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(raw);
              conn.awaitClose();
            })) {
      HttpRequestArgs args = client.createRequest();
      args.setTransferTimeout(5);
      return client.get(server.url("/"), args);
    }
  }

  private static void assertError(HttpErrorCode code, String fragment, HttpResponse response) {
    assertEquals(code, response.errorCode(), response.toString());
    assertTrue(
        response.errorMsg().contains(fragment),
        "message '" + response.errorMsg() + "' should contain '" + fragment + "'");
  }

  @Test
  void garbageInsteadOfStatusLineIsCannotReadStatusLine() throws IOException {
    HttpResponse response = getFrom("HELLO THERE\r\n\r\n");
    assertError(HttpErrorCode.CANNOT_READ_STATUS_LINE, "status line", response);
    assertEquals(0, response.statusCode());
  }

  @Test
  void statusLineWithoutNumericStatusIsMissingStatus() throws IOException {
    HttpResponse response = getFrom("HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n");
    assertError(HttpErrorCode.MISSING_STATUS, "status", response);
  }

  @Test
  void headerLineWithoutColonIsHeaderParsingError() throws IOException {
    HttpResponse response =
        getFrom("HTTP/1.1 200 OK\r\nthis is not a header\r\nContent-Length: 0\r\n\r\n");
    assertError(HttpErrorCode.HEADER_PARSING_ERROR, "headers", response);
  }

  @Test
  void conflictingContentLengthsAreHeaderParsingError() throws IOException {
    HttpResponse response =
        getFrom("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde");
    assertError(HttpErrorCode.HEADER_PARSING_ERROR, "Content-Length", response);
  }

  @Test
  void bogusContentLengthIsHeaderParsingError() throws IOException {
    HttpResponse response = getFrom("HTTP/1.1 200 OK\r\nContent-Length: -7\r\n\r\n");
    assertError(HttpErrorCode.HEADER_PARSING_ERROR, "", response);
  }

  @Test
  void invalidChunkSizeIsChunkReadError() throws IOException {
    HttpResponse response =
        getFrom("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
    assertError(HttpErrorCode.CHUNK_READ_ERROR, "chunk", response);
    assertEquals(200, response.statusCode());
  }

  @Test
  void serverClosingMidBodyIsCannotReadBody() throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(
                  "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly forty bytes of the hundred promised");
            })) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertError(HttpErrorCode.CANNOT_READ_BODY, "after 40 of 100 body bytes", response);
      assertEquals(40, response.downloadSize());
    }
  }

  @Test
  void serverClosingMidChunkedBodyIsChunkReadError() throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n20\r\nshort");
            })) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertError(HttpErrorCode.CHUNK_READ_ERROR, "chunked", response);
    }
  }

  @Test
  void serverClosingWithoutAnswerIsCannotReadStatusLine() throws IOException {
    try (ScriptedServer server = new ScriptedServer(conn -> conn.readRequest())) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertError(HttpErrorCode.CANNOT_READ_STATUS_LINE, "before sending a status line", response);
    }
  }

  @Test
  void serverThatAcceptsAndNeverAnswersTimesOut() throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.awaitClose();
            })) {
      HttpRequestArgs args = client.createRequest().setTransferTimeout(1);
      long start = System.nanoTime();
      HttpResponse response = client.get(server.url("/"), args);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertError(HttpErrorCode.TIMEOUT, "transfer timeout of 1000 ms", response);
      assertTrue(millis >= 900 && millis < 5000, "timed out after " + millis + " ms");
    }
  }

  @Test
  void serverThatTricklesTheBodyTimesOutAtTheTransferTimeout() throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
              for (int i = 0; i < 1000 && !conn.socket.isClosed(); i++) {
                conn.write("x");
                Thread.sleep(50); // the trickle itself, not a wait for an event
              }
            })) {
      HttpRequestArgs args = client.createRequest().setTransferTimeout(1);
      HttpResponse response = client.get(server.url("/"), args);
      assertError(HttpErrorCode.TIMEOUT, "transfer timeout", response);
      assertTrue(response.downloadSize() > 0 && response.downloadSize() < 1000);
    }
  }

  @Test
  void refusedConnectionIsCannotConnect() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    HttpResponse response = client.get("http://127.0.0.1:" + port + "/", client.createRequest());
    assertError(HttpErrorCode.CANNOT_CONNECT, "connection refused", response);
  }

  @Test
  void malformedUrlsAreUrlMalformed() {
    for (String url :
        new String[] {
          "", "not a url", "ftp://127.0.0.1/", "http://", "http://host:99999/", "127.0.0.1:80"
        }) {
      HttpResponse response = client.get(url, client.createRequest());
      assertEquals(HttpErrorCode.URL_MALFORMED, response.errorCode(), url + ": " + response);
      assertTrue(!response.errorMsg().isEmpty());
    }
  }

  @Test
  void redirectWithoutLocationIsMissingLocation() throws IOException {
    HttpResponse response = getFrom("HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n");
    assertError(HttpErrorCode.MISSING_LOCATION, "without a Location", response);
  }

  @Test
  void endlessRedirectsAreTooManyRedirects() throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              while (conn.readRequest() != null) {
                conn.write("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
              }
            })) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertError(HttpErrorCode.TOO_MANY_REDIRECTS, "more than 5 redirects", response);
      assertEquals(1, server.connections(), "the redirects reuse the kept-alive connection");
    }
  }

  @Test
  void redirectsAreNotFollowedWhenDisabled() throws IOException {
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write("HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n");
              conn.awaitClose();
            })) {
      HttpResponse response =
          client.get(server.url("/"), client.createRequest().setFollowRedirects(false));
      assertEquals(HttpErrorCode.OK, response.errorCode());
      assertEquals(301, response.statusCode());
      assertEquals("/x", response.headers().get("location"));
    }
  }

  @Test
  void badGzipBodyIsGzipError() throws IOException {
    HttpResponse response =
        getFrom(
            "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\nnot gzip!!!!");
    assertError(HttpErrorCode.GZIP, "compressed body", response);
  }

  @Test
  void truncatedGzipBodyIsGzipError() throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(zipped)) {
      zip.write(
          "a body that will lose its tail "
              .repeat(50)
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] whole = zipped.toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(
                  "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                      + truncated.length
                      + "\r\n\r\n");
              conn.write(truncated);
              conn.awaitClose();
            })) {
      HttpResponse response = client.get(server.url("/"), client.createRequest());
      assertError(HttpErrorCode.GZIP, "compressed body", response);
    }
  }

  @Test
  void gzipBombStopsAtTheResponseSizeLimit() throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(zipped)) {
      zip.write(new byte[32 * 1024 * 1024]);
    }
    byte[] bomb = zipped.toByteArray();
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(
                  "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                      + bomb.length
                      + "\r\n\r\n");
              conn.write(bomb);
              conn.awaitClose();
            })) {
      HttpRequestArgs args = client.createRequest().setMaxResponseSize(1024 * 1024);
      HttpResponse response = client.get(server.url("/"), args);
      assertError(HttpErrorCode.READ_ERROR, "exceeds the limit of 1048576 bytes", response);
    }
  }

  @Test
  void bodyLargerThanTheLimitIsRefusedFromItsContentLength() throws IOException {
    HttpRequestArgs args = client.createRequest().setMaxResponseSize(10);
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write(ScriptedServer.ok("more than ten bytes"));
              conn.awaitClose();
            })) {
      HttpResponse response = client.get(server.url("/"), args);
      assertError(HttpErrorCode.READ_ERROR, "exceeds the limit of 10 bytes", response);
    }
  }

  @Test
  void headResponseWithALargeContentLengthIsNotOverTheLimit() throws IOException {
    HttpRequestArgs args = client.createRequest().setMaxResponseSize(10);
    try (ScriptedServer server =
        new ScriptedServer(
            conn -> {
              conn.readRequest();
              conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
              conn.awaitClose();
            })) {
      HttpResponse response = client.head(server.url("/"), args);
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.toString());
      assertEquals("1000000", response.headers().get("Content-Length"));
    }
  }
}
