package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts HttpServers on a free loopback port and talks to them over raw sockets or processes. */
final class ServerFixture {

  private ServerFixture() {}

  /** A listening, started server; stop it when done. */
  static HttpServer started(HttpServer server) {
    dev.ixws.ListenResult result = server.listen();
    assertTrue(result.ok(), result.errorMessage());
    server.start();
    return server;
  }

  /** A raw client socket to {@code port}, 5 s read timeout. */
  static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    socket.setSoTimeout(5000);
    return socket;
  }

  static void send(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Everything the server sends until it closes (fails after the socket's read timeout). */
  static String readUntilClose(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    try {
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "the server did not close; received: " + out.toString(StandardCharsets.ISO_8859_1), e);
    } catch (java.net.SocketException e) {
      // A reset after the response: what came before counts.
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one response head and its Content-Length body; returns head + body text. */
  static String readResponse(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed in the head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  /** Reads one response head only (up to the empty line). */
  static String readHeadOnly(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("closed in the head: " + head);
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status codes of every response in {@code wire}, in order. */
  static List<Integer> statuses(String wire) {
    List<Integer> codes = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("HTTP/1\\.[01] (\\d{3}) ").matcher(wire);
    while (m.find()) {
      codes.add(Integer.parseInt(m.group(1)));
    }
    return codes;
  }

  /** Runs a command, returns its stdout; fails on a non-zero exit or after 20 s. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "timed out: " + command);
    if (process.exitValue() != 0) {
      throw new AssertionError(
          command
              + " exited "
              + process.exitValue()
              + ": "
              + new String(err, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8)
        + "\n--stderr--\n"
        + new String(err, StandardCharsets.UTF_8);
  }
}
