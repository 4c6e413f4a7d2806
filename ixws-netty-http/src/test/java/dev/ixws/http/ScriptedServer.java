package dev.ixws.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on a free port of 127.0.0.1 that plays a (hostile) HTTP server: each accepted
 * connection runs {@link Script} on its own thread. Counts connections; {@link #close()} closes
 * everything.
 */
final class ScriptedServer implements AutoCloseable {

  /** What the server does with one connection. */
  @FunctionalInterface
  interface Script {
    void run(Conn conn) throws Exception;
  }

  /** One accepted connection. */
  static final class Conn {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final int index;

    Conn(Socket socket, int index) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
      this.index = index;
    }

    /** Reads one request (head and Content-Length body); null when the client closed. */
    Request readRequest() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      String[] lines = text.split("\r\n");
      int length = 0;
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return new Request(lines[0], text, body);
    }

    void write(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Waits until the client closes (or 10 s). */
    void awaitClose() throws IOException {
      socket.setSoTimeout(10_000);
      try {
        while (in.read() >= 0) {
          // discard
        }
      } catch (IOException e) {
        // timeout or reset: the client is gone either way
      }
    }
  }

  /** A request as received. */
  record Request(String line, String head, byte[] body) {
    String header(String name) {
      for (String l : head.split("\r\n")) {
        int colon = l.indexOf(':');
        if (colon > 0 && l.substring(0, colon).equalsIgnoreCase(name)) {
          return l.substring(colon + 1).trim();
        }
      }
      return null;
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final ServerSocket serverSocket;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();

  ScriptedServer(Script script) throws IOException {
    serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!serverSocket.isClosed()) {
                try {
                  Socket socket = serverSocket.accept();
                  sockets.add(socket);
                  int index = accepted.getAndIncrement();
                  Thread worker =
                      new Thread(
                          () -> {
                            try (socket) {
                              script.run(new Conn(socket, index));
                            } catch (Exception e) {
                              if (!serverSocket.isClosed()) {
                                failures.add(e);
                              }
                            }
                          },
                          "scripted-conn-" + index);
                  worker.setDaemon(true);
                  worker.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "scripted-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Connections accepted so far. */
  int connections() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  /** A complete response with a body and Content-Length. */
  static String ok(String body, String... headers) {
    StringBuilder out = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (String header : headers) {
      out.append(header).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    return out + new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
