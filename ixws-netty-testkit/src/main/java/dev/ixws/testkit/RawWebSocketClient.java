package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A WebSocket client written by hand over {@link Socket} for testing servers: it sends an upgrade
 * request exactly as built (any method, version, key or headers), reads the HTTP response, then
 * writes arbitrary frames, masked or not, whole or a few bytes at a time.
 *
 * <p>Connects to 127.0.0.1 only. Not thread-safe.
 */
public final class RawWebSocketClient extends RawConnection {

  /** RFC 6455 section 1.3: the GUID appended to the key to compute {@code Sec-WebSocket-Accept}. */
  public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private HttpHead handshakeResponse;

  private RawWebSocketClient(Socket socket) throws IOException {
    super(socket);
  }

  /** The server's answer to {@link #open}'s request; null for a client made by {@link #connect}. */
  public HttpHead handshakeResponse() {
    return handshakeResponse;
  }

  /** Opens a TCP connection to 127.0.0.1:{@code port}; nothing is sent yet. */
  public static RawWebSocketClient connect(int port) throws IOException {
    return new RawWebSocketClient(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  /**
   * Connects, sends a valid upgrade request for {@code path}, and checks that the answer is 101
   * with the right {@code Sec-WebSocket-Accept}; frames may be written right after.
   */
  public static RawWebSocketClient open(int port, String path) throws IOException {
    return upgrade(connect(port), port, path, null);
  }

  /**
   * As {@link #open(int, String)}, offering {@code extensions} in {@code Sec-WebSocket-Extensions}
   * (none when null); the answer is in {@link #handshakeResponse()}.
   */
  public static RawWebSocketClient open(int port, String path, String extensions)
      throws IOException {
    return upgrade(connect(port), port, path, extensions);
  }

  /**
   * As {@link #open(int, String)} over TLS: the JDK's {@code SSLSocket} from {@code tls} (see
   * {@link TestCertificates#clientContext}), its handshake completed before the upgrade request.
   */
  public static RawWebSocketClient openTls(int port, String path, SSLContext tls)
      throws IOException {
    return openTls(port, path, tls, null);
  }

  /** As {@link #openTls(int, String, SSLContext)}, offering {@code extensions} (null: none). */
  public static RawWebSocketClient openTls(int port, String path, SSLContext tls, String extensions)
      throws IOException {
    SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    socket.startHandshake();
    return upgrade(new RawWebSocketClient(socket), port, path, extensions);
  }

  private static RawWebSocketClient upgrade(
      RawWebSocketClient client, int port, String path, String extensions) throws IOException {
    String key = newKey();
    Request request = request(port).path(path).key(key);
    if (extensions != null) {
      request.header("Sec-WebSocket-Extensions", extensions);
    }
    client.write(request.build());
    HttpHead response = client.readHead();
    client.handshakeResponse = response;
    assertEquals(101, response.status(), "handshake answered " + response.startLine());
    assertEquals(acceptFor(key), response.header("Sec-WebSocket-Accept"), "Sec-WebSocket-Accept");
    return client;
  }

  /** A new random key: 16 random bytes, base64-encoded. */
  public static String newKey() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** The {@code Sec-WebSocket-Accept} a server must answer to {@code key} (RFC 6455 4.2.2). */
  public static String acceptFor(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-1", e);
    }
  }

  /** A builder of a valid upgrade request to 127.0.0.1:{@code port}, to change at will. */
  public static Request request(int port) {
    return new Request(port);
  }

  /** Sends {@code text} masked, as a client must. */
  public void sendText(String text) throws IOException {
    writeFrame(WsFrame.text(text, true));
  }

  /** Builds an HTTP upgrade request; every part can be changed or removed. Not thread-safe. */
  public static final class Request {
    private String method = "GET";
    private String path = "/";
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    private Request(int port) {
      header("Host", "127.0.0.1:" + port);
      header("Upgrade", "websocket");
      header("Connection", "Upgrade");
      header("Sec-WebSocket-Key", newKey());
      header("Sec-WebSocket-Version", "13");
    }

    /** Sets the method (GET by default). */
    public Request method(String newMethod) {
      this.method = newMethod;
      return this;
    }

    /** Sets the request target ({@code /} by default). */
    public Request path(String newPath) {
      this.path = newPath;
      return this;
    }

    /** Sets the key. */
    public Request key(String key) {
      return header("Sec-WebSocket-Key", key);
    }

    /** Sets header {@code name} (any case) to {@code value}, replacing it in place if present. */
    public Request header(String name, String value) {
      for (int i = 0; i < headers.size(); i++) {
        if (headers.get(i).getKey().equalsIgnoreCase(name)) {
          headers.set(i, Map.entry(name, value));
          return this;
        }
      }
      headers.add(Map.entry(name, value));
      return this;
    }

    /** Removes header {@code name} (any case). */
    public Request remove(String name) {
      headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
      return this;
    }

    /** The request as text, ending with the empty line. */
    public String build() {
      StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      for (Map.Entry<String, String> header : headers) {
        text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
      }
      return text.append("\r\n").toString();
    }
  }
}
