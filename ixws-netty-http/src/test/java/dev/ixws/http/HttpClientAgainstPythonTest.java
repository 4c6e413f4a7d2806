package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our client against Python's http.server for odd, legal behaviours (HTTP/1.0, interim answers).
 */
class HttpClientAgainstPythonTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static Process python;
  private static Path script;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail("/usr/bin/python3 is missing");
    }
    script = Files.createTempFile("odd_server", ".py");
    try (InputStream in = HttpClientAgainstPythonTest.class.getResourceAsStream("odd_server.py")) {
      Files.write(script, in.readAllBytes());
    }
    python =
        new ProcessBuilder(PYTHON.toString(), script.toString()).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      fail("the Python server did not start");
    }
    port = Integer.parseInt(line.trim());
  }

  @AfterAll
  static void stop() throws Exception {
    python.destroy();
    python.waitFor(5, TimeUnit.SECONDS);
    Files.deleteIfExists(script);
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  @Test
  void bodyThatEndsWithTheConnectionIsComplete() {
    try (HttpClient client = new HttpClient()) {
      for (int i = 0; i < 3; i++) {
        HttpResponse response = client.get(url("/until-close"), client.createRequest());
        assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
        assertEquals("read until close ".repeat(1000), response.body());
        assertTrue(response.headers().get("Content-Length") == null);
      }
      assertEquals(0, client.idleConnections(url("/")), "HTTP/1.0 connections are not pooled");
    }
  }

  @Test
  void interimResponsesAreSkipped() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.get(url("/informational"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(200, response.statusCode());
      assertEquals("final", response.body());
      assertTrue(response.headers().get("Link") == null, "the 103's headers are not the 200's");
    }
  }

  @Test
  void repeatedHeadersAreJoinedAndEmptyOnesKept() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.get(url("/headers"), client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals("a=1, b=2", response.headers().get("set-cookie"));
      assertEquals("", response.headers().get("X-Empty"));
      assertTrue(response.body().startsWith("ixws-netty/"), response.body());
      assertTrue(response.headers().get("Server").contains("Python"));
    }
  }

  @Test
  void errorPageOfPythonIsA404() {
    try (HttpClient client = new HttpClient()) {
      HttpResponse response = client.get(url("/missing"), client.createRequest());
      assertEquals(404, response.statusCode());
      assertEquals(HttpErrorCode.OK, response.errorCode());
    }
  }

  @Test
  void multipartFormDataIsParsedByPythonsEmailPackage() {
    try (HttpClient client = new HttpClient()) {
      HttpFormDataParameters files =
          new HttpFormDataParameters()
              .put("upload", "file content")
              .putFile(
                  "doc", "notes.txt", "text/plain", "line one".getBytes(StandardCharsets.UTF_8));
      HttpParameters fields = new HttpParameters().put("title", "héllo wörld");
      HttpResponse response = client.post(url("/multipart"), fields, files, client.createRequest());
      assertEquals(HttpErrorCode.OK, response.errorCode(), response.errorMsg());
      assertEquals(
          String.join(
              "\n",
              "upload|upload|application/octet-stream|file content",
              "doc|notes.txt|text/plain|line one",
              "title||text/plain|héllo wörld"),
          response.body());
    }
  }
}
