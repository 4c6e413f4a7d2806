package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ixws curl} against a small raw-socket HTTP server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurlCommandTest {

  private ServerSocket server;
  private String base;

  /**
   * A one-request-per-connection HTTP server on a raw socket: answers with the method, path, the
   * X-Token and Content-Type headers and the body; {@code /redirect} answers 302 to {@code /echo}.
   */
  @BeforeEach
  void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    base = "http://127.0.0.1:" + server.getLocalPort();
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                  answer(socket);
                } catch (IOException e) {
                  // closed, or a client that went away
                }
              }
            },
            "curl-test-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private static void answer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      head.write(b);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    OutputStream out = socket.getOutputStream();
    String path = requestLine[1];
    if (path.equals("/slow")) {
      // 3 x 100 KB, a second apart: long enough for the progress meter to show.
      out.write(
          "HTTP/1.1 200 OK\r\nContent-Length: 300000\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      for (int i = 0; i < 3; i++) {
        out.write(new byte[100_000]);
        out.flush();
        try {
          Thread.sleep(700);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      return;
    }
    if (path.equals("/redirect")) {
      out.write(
          "HTTP/1.1 302 Found\r\nLocation: /echo\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      return;
    }
    String answer =
        requestLine[0]
            + " "
            + path
            + " x-token="
            + headers.get("x-token")
            + " type="
            + headers.get("content-type")
            + " body="
            + new String(body, StandardCharsets.UTF_8)
            + "\n";
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    out.write(
        ("HTTP/1.1 200 OK\r\nX-Served: yes\r\nConnection: close\r\nContent-Length: "
                + bytes.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    if (!requestLine[0].equals("HEAD")) {
      out.write(bytes);
    }
    out.flush();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void getPrintsTheBodyAndHeadersMayContainColons() {
    CommandRun run = CommandRun.runToEnd("curl", "-H", "X-Token: a:b:c", base + "/echo");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("GET /echo x-token=a:b:c type=null body=", run.out.takeAll());
  }

  @Test
  void dataFieldsArePostedAsAForm() {
    CommandRun run = CommandRun.runToEnd("curl", "-d", "a=1", "-d", "b=x y", base + "/form");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals(
        "POST /form x-token=null type=application/x-www-form-urlencoded body=a=1&b=x%20y",
        run.out.takeAll());
  }

  @Test
  void formPartsAreMultipart(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("up.txt");
    Files.writeString(file, "file body");
    CommandRun run =
        CommandRun.runToEnd("curl", "-F", "note=hi", "-F", "doc=@" + file, base + "/upload");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    String out = run.out.takeAll();
    assertTrue(
        out.startsWith("POST /upload x-token=null type=multipart/form-data; boundary="), out);
    assertTrue(out.contains("filename=\"up.txt\""), out);
    assertTrue(out.contains("file body"), out);
    assertTrue(out.contains("name=\"note\""), out);
  }

  @Test
  void headPrintsTheResponseHead() {
    CommandRun run = CommandRun.runToEnd("curl", "-I", base + "/h");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    String out = run.out.takeAll();
    assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
    assertTrue(out.toLowerCase(java.util.Locale.ROOT).contains("x-served: yes\r\n"), out);
  }

  @Test
  void locationFollowsRedirectsAndVerboseShowsTheHeads() {
    CommandRun notFollowed = CommandRun.runToEnd("curl", base + "/redirect");
    assertEquals(Ixws.EXIT_OK, notFollowed.awaitExit());
    assertEquals("", notFollowed.out.takeAll());
    CommandRun run = CommandRun.runToEnd("curl", "-L", "-v", base + "/redirect");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("GET /echo x-token=null type=null body=", run.out.takeAll());
    String err = run.err.takeAll();
    assertTrue(err.contains("> GET /redirect HTTP/1.1"), err);
    assertTrue(err.contains("< HTTP/1.1 302 Found"), err);
  }

  @Test
  void outputGoesToAFile(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("out.txt");
    CommandRun run = CommandRun.runToEnd("curl", "-o", target.toString(), base + "/file");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals("GET /file x-token=null type=null body=\n", Files.readString(target));
    assertEquals("", run.out.takeAll());
  }

  @Test
  void aSlowDownloadToAFileShowsProgressOnStderr(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("slow.bin");
    CommandRun run = CommandRun.runToEnd("curl", "-o", target.toString(), base + "/slow");
    assertEquals(Ixws.EXIT_OK, run.awaitExit());
    assertEquals(300_000, Files.size(target));
    assertEquals("", run.out.takeAll());
    // Not a terminal here: plain lines, at most one a second, the last one complete.
    List<String> lines = run.err.skipRemaining();
    assertTrue(!lines.isEmpty(), "no progress line");
    for (String line : lines) {
      assertTrue(
          line.matches("Received \\d+ of 300000 bytes \\(\\d+%\\), [0-9.]+ MB/s, ETA \\d+ s"),
          line);
    }
    assertTrue(
        lines.get(lines.size() - 1).startsWith("Received 300000 of 300000 bytes (100%)"),
        lines.toString());
  }

  @Test
  void refusedConnectionExitsWithOneLineReason() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    CommandRun run = CommandRun.runToEnd("curl", "http://127.0.0.1:" + port + "/");
    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    String err = run.err.takeAll();
    assertTrue(err.startsWith("ixws curl: CANNOT_CONNECT: "), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void malformedUrlIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("curl", "ftp://x/");
    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    String err = run.err.takeAll();
    assertTrue(err.startsWith("ixws curl: URL_MALFORMED: "), err);
  }
}
