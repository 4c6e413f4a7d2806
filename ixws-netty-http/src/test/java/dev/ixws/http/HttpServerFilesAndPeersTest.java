package dev.ixws.http;

import static dev.ixws.http.ServerFixture.connect;
import static dev.ixws.http.ServerFixture.readResponse;
import static dev.ixws.http.ServerFixture.readUntilClose;
import static dev.ixws.http.ServerFixture.run;
import static dev.ixws.http.ServerFixture.send;
import static dev.ixws.http.ServerFixture.started;
import static dev.ixws.http.ServerFixture.statuses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default file server and real clients nobody here wrote: curl (keep-alive, HTTP/1.0, {@code
 * Expect}, ranges, compression, traversal with {@code --path-as-is}) and Python's http.client.
 */
class HttpServerFilesAndPeersTest {

  private static Path outside;
  private static Path root;
  private static byte[] big;
  private static HttpServer server;
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    outside = Files.createTempDirectory("httpd-outside");
    Files.writeString(outside.resolve("secret.txt"), "SECRET");
    root = Files.createDirectory(outside.resolve("root"));
    Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
    Files.createDirectory(root.resolve("sub"));
    Files.writeString(root.resolve("sub").resolve("a b.txt"), "spaced");
    Files.writeString(root.resolve("style.css"), "body { color: red; }\n".repeat(100));
    big = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("escape-dir"), outside);
    server = new HttpServer(0);
    server.setDefaultConnectionCallback(root);
    started(server);
    base = "http://127.0.0.1:" + server.getPort();
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop();
    try (var paths = Files.walk(outside)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  private static String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  @Test
  void fileServerServesFilesWithTypesAndIndex() throws Exception {
    String out = curl("-i", base + "/", base + "/sub/a%20b.txt?ignored=1");
    assertTrue(out.contains("<h1>home</h1>"), out);
    assertTrue(out.toLowerCase().contains("content-type: text/html; charset=utf-8"), out);
    assertTrue(out.contains("spaced"), out);
    assertTrue(out.toLowerCase().contains("last-modified: "), out);
    assertTrue(out.toLowerCase().contains("etag: "), out);
  }

  @Test
  void curlReusesTheConnectionForSeveralUrls() throws Exception {
    String out =
        curl(
            "-v",
            "-o",
            "/dev/null",
            "-o",
            "/dev/null",
            "-o",
            "/dev/null",
            base + "/",
            base + "/style.css",
            base + "/sub/a%20b.txt");
    assertTrue(out.contains("Re-using existing connection"), out);
    assertEquals(3, out.split("< HTTP/1.1 200", -1).length - 1, out);
  }

  @Test
  void traversalAttemptsOfEveryKindGet404() throws Exception {
    List<String> attempts =
        List.of(
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/sub%2f..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/escape.txt",
            "/escape-dir/secret.txt",
            "/secret.txt%00.html",
            "//etc/passwd",
            "/%2fetc%2fpasswd");
    for (String attempt : attempts) {
      String out = curl("--path-as-is", "-i", base + attempt);
      assertTrue(out.startsWith("HTTP/1.1 404"), attempt + " -> " + out);
      assertFalse(out.contains("SECRET") || out.contains("root:"), attempt + " -> " + out);
    }
    // Raw, for what curl would clean up: backslashes and absolute paths.
    for (String target : List.of("/..\\secret.txt", "/sub\\..\\..\\secret.txt", "/etc/passwd")) {
      try (Socket socket = connect(server.getPort())) {
        send(socket, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String wire = readUntilClose(socket);
        assertEquals(List.of(404), statuses(wire), target + " -> " + wire);
      }
    }
  }

  @Test
  void conditionalRequestsGet304() throws Exception {
    String first = curl("-i", base + "/style.css");
    String lastModified = header(first, "last-modified");
    String etag = header(first, "etag");
    assertTrue(
        curl("-i", "-H", "If-Modified-Since: " + lastModified, base + "/style.css")
            .startsWith("HTTP/1.1 304"));
    assertTrue(
        curl("-i", "-H", "If-None-Match: " + etag, base + "/style.css").startsWith("HTTP/1.1 304"));
    assertTrue(
        curl("-i", "-H", "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT", base + "/style.css")
            .startsWith("HTTP/1.1 200"));
  }

  private static String header(String response, String name) {
    for (String line : response.split("\r\n")) {
      if (line.toLowerCase().startsWith(name + ":")) {
        return line.substring(name.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + name + " in " + response);
  }

  @Test
  void rangesGet206And416() throws Exception {
    String out = curl("-i", "-r", "10-19", base + "/big.bin", "-o", "/dev/stdout");
    assertTrue(out.startsWith("HTTP/1.1 206"), out);
    assertTrue(out.toLowerCase().contains("content-range: bytes 10-19/" + big.length), out);
    String unsatisfiable = curl("-i", "-r", big.length + "-", base + "/big.bin");
    assertTrue(unsatisfiable.startsWith("HTTP/1.1 416"), unsatisfiable);
  }

  @Test
  void severalRangesGetA206MultipartByterangesBodyWithEachPiece() throws Exception {
    String out = curl("-i", "-r", "0-1,5-9,1000-1003", base + "/big.bin", "-o", "/dev/stdout");
    assertTrue(out.startsWith("HTTP/1.1 206"), out);
    assertTrue(
        out.toLowerCase().contains("content-type: multipart/byteranges; boundary=ixws-"), out);
    try (HttpClient client = new HttpClient()) {
      HttpResponse response =
          client.get(
              base + "/big.bin",
              client
                  .createRequest()
                  .setExtraHeaders(java.util.Map.of("Range", "bytes=1000-1003, 0-1,5-9,4-5")));
      assertEquals(206, response.statusCode(), response.toString());
      String type = response.headers().get("Content-Type");
      String boundary = type.substring(type.indexOf("boundary=") + 9);
      byte[] body = response.bodyBytes();
      assertEquals(
          Long.parseLong(response.headers().get("Content-Length")), body.length, "framing");
      String text = new String(body, StandardCharsets.ISO_8859_1);
      // Sorted and coalesced: 0-1, 4-9 (4-5 and 5-9 overlap), 1000-1003.
      String[] parts = text.split("\r\n--" + java.util.regex.Pattern.quote(boundary));
      assertEquals("", parts[0]);
      assertEquals("--\r\n", parts[parts.length - 1]);
      long[][] expected = {{0, 1}, {4, 9}, {1000, 1003}};
      assertEquals(expected.length + 2, parts.length, text.substring(0, 300));
      for (int i = 0; i < expected.length; i++) {
        String part = parts[i + 1];
        int split = part.indexOf("\r\n\r\n");
        String head = part.substring(0, split);
        assertTrue(head.contains("Content-Type: application/octet-stream"), head);
        assertTrue(
            head.contains(
                "Content-Range: bytes " + expected[i][0] + "-" + expected[i][1] + "/" + big.length),
            head);
        byte[] piece = part.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(
            Arrays.equals(
                Arrays.copyOfRange(big, (int) expected[i][0], (int) expected[i][1] + 1), piece),
            "part " + i);
      }
    }
    // More than 16 separate pieces: the whole file, as RFC 9110 allows.
    StringBuilder many = new StringBuilder("0-0");
    for (int i = 1; i <= 16; i++) {
      many.append(',').append(i * 10).append('-').append(i * 10);
    }
    String whole = curl("-i", "-r", many.toString(), base + "/style.css");
    assertTrue(whole.startsWith("HTTP/1.1 200"), whole);
  }

  @Test
  void ifRangeAppliesTheRangeOnlyWhileTheValidatorMatches() throws Exception {
    String first = curl("-i", base + "/style.css");
    String etag = header(first, "etag");
    String lastModified = header(first, "last-modified");
    String sameTag = curl("-i", "-r", "0-3", "-H", "If-Range: " + etag, base + "/style.css");
    assertTrue(sameTag.startsWith("HTTP/1.1 206"), sameTag);
    assertTrue(sameTag.contains("\r\n\r\nbody\n--stderr--"), sameTag);
    String sameDate =
        curl("-i", "-r", "0-3", "-H", "If-Range: " + lastModified, base + "/style.css");
    assertTrue(sameDate.startsWith("HTTP/1.1 206"), sameDate);
    for (String stale : List.of("\"0-0\"", "W/" + etag, "Mon, 01 Jan 2001 00:00:00 GMT")) {
      String whole = curl("-i", "-r", "0-3", "-H", "If-Range: " + stale, base + "/style.css");
      assertTrue(whole.startsWith("HTTP/1.1 200"), stale + ": " + whole);
      assertTrue(whole.contains("body { color: red; }\n\n--stderr--"), whole);
    }
  }

  @Test
  void largeFileArrivesIntactThroughOurClient() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.get(base + "/big.bin", client.createRequest());
      assertEquals(200, response.statusCode(), response.errorMsg());
      assertTrue(Arrays.equals(big, response.bodyBytes()));
      HttpResponse head = client.head(base + "/big.bin", client.createRequest());
      assertEquals(String.valueOf(big.length), head.headers().get("Content-Length"));
      assertEquals(0, head.bodyBytes().length);
    }
  }

  @Test
  void curlHttp10AndExpectContinueAndCompressed() throws Exception {
    String old = curl("-0", "-v", base + "/sub/a%20b.txt");
    assertTrue(old.contains("< HTTP/1.0 200"), old);
    assertTrue(old.contains("spaced"), old);
    HttpServer echo = new HttpServer(0);
    echo.setOnConnectionCallback(
        (request, state) -> HttpResponse.ok("got " + request.bodyLength()));
    started(echo);
    try {
      Path upload = Files.createTempFile("upload", ".bin");
      Files.write(upload, new byte[200_000]);
      String expect =
          curl(
              "-v",
              "-H",
              "Expect: 100-continue",
              "--data-binary",
              "@" + upload,
              "http://127.0.0.1:" + echo.getPort() + "/up");
      assertTrue(expect.contains("HTTP/1.1 100 Continue"), expect);
      assertTrue(expect.contains("got 200000"), expect);
      String chunked =
          curl(
              "-H",
              "Transfer-Encoding: chunked",
              "--data-binary",
              "@" + upload,
              "http://127.0.0.1:" + echo.getPort() + "/up");
      assertTrue(chunked.contains("got 200000"), chunked);
      Files.delete(upload);
    } finally {
      echo.stop();
    }
    HttpServer text = new HttpServer(0);
    String body = "words words words ".repeat(500);
    text.setOnConnectionCallback((request, state) -> HttpResponse.ok(body));
    started(text);
    try {
      String compressed = curl("-v", "--compressed", "http://127.0.0.1:" + text.getPort() + "/");
      assertTrue(compressed.toLowerCase().contains("< content-encoding: gzip"), compressed);
      assertTrue(compressed.contains(body), "curl decoded the body");
    } finally {
      text.stop();
    }
  }

  @Test
  void pythonHttpClientKeepsTheConnectionAndUploadsChunked() throws Exception {
    String script =
        String.join(
            "\n",
            "import http.client, sys",
            "c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)",
            "for path in ['/', '/style.css', '/sub/a%20b.txt']:",
            "    c.request('GET', path)",
            "    r = c.getresponse(); body = r.read()",
            "    print(r.status, len(body), r.getheader('Content-Length'))",
            "c.request('POST', '/', body=iter([b'ab', b'cd']), encode_chunked=True)",
            "r = c.getresponse(); r.read(); print('post', r.status)",
            "c.request('HEAD', '/big.bin')",
            "r = c.getresponse(); print('head', r.status, r.getheader('Content-Length'), len(r.read()))",
            "print('sock', c.sock is not None)");
    String out = run(List.of("/usr/bin/python3", "-c", script, String.valueOf(server.getPort())));
    assertTrue(out.contains("200 13 13"), out);
    assertTrue(out.contains("200 2100 2100"), out);
    assertTrue(out.contains("200 6 6"), out);
    assertTrue(out.contains("post 405"), out);
    assertTrue(out.contains("head 200 " + big.length + " 0"), out);
    assertTrue(out.contains("sock True"), out);
  }

  @Test
  void postToTheFileServerIs405() throws Exception {
    try (Socket socket = connect(server.getPort())) {
      send(socket, "DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
      String response = readResponse(socket);
      assertTrue(response.startsWith("HTTP/1.1 405"), response);
      assertTrue(response.toLowerCase().contains("allow: get, head"), response);
    }
    assertEquals(
        "<h1>home</h1>", Files.readString(root.resolve("index.html"), StandardCharsets.UTF_8));
  }
}
