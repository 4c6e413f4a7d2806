package dev.ixws.conformance;

import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A test fuzzing server for the client role: raw TCP on a free port of 127.0.0.1, speaking RFC 6455
 * itself (unmasked frames, with {@link RawFrames}), and the control protocol of the Autobahn
 * |Testsuite's fuzzing server that echo clients such as {@code ixws autobahn} use:
 *
 * <ul>
 *   <li>{@code GET /getCaseCount}: sends the number of cases as a text message, then closes;
 *   <li>{@code GET /runCase?case=N&agent=A}: plays case N (1-based) against the client, which
 *       echoes every message, and judges what comes back and how the client closes; the answer to
 *       the opening handshake is a valid {@code 101} unless the case writes its own (family 11);
 *   <li>{@code GET /updateReports?agent=A}: records that the reports were asked for, then closes.
 * </ul>
 *
 * <p>Connections are served one at a time, in order, on one daemon thread; the results are read
 * once the client is done.
 */
final class FuzzingServer implements AutoCloseable {

  private static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(5);

  private final List<WireCase> cases;
  private final ServerSocket serverSocket;
  private final Thread thread;
  private final List<CaseResult> results = new ArrayList<>();
  private final List<String> log = new ArrayList<>();
  private final List<String> reportAgents = new ArrayList<>();

  FuzzingServer(List<WireCase> cases) throws IOException {
    this.cases = List.copyOf(cases);
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "fuzzing-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** The results of the cases run so far, in the order they ran. */
  synchronized List<CaseResult> results() {
    return List.copyOf(results);
  }

  /** Every request served, as {@code path -> what happened}. */
  synchronized List<String> log() {
    return List.copyOf(log);
  }

  /** The agents that asked for their reports to be updated. */
  synchronized List<String> reportAgents() {
    return List.copyOf(reportAgents);
  }

  private void serve() {
    while (!serverSocket.isClosed()) {
      try (Socket socket = serverSocket.accept();
          RawConnection connection = new RawConnection(socket)) {
        handle(connection);
      } catch (SocketException e) {
        return; // closed
      } catch (IOException | RuntimeException e) {
        record("error: " + e);
      }
    }
  }

  private void handle(RawConnection connection) throws IOException {
    connection.setReadTimeout(CONTROL_TIMEOUT);
    HttpHead request = connection.readHead();
    String[] parts = request.startLine().split(" ");
    String target = parts.length > 1 ? parts[1] : "";
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = query(q < 0 ? "" : target.substring(q + 1));
    String key = request.header("Sec-WebSocket-Key");
    if (key == null || !"websocket".equalsIgnoreCase(request.header("Upgrade"))) {
      connection.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      record(target + " -> 400");
      return;
    }
    switch (path) {
      case "/getCaseCount" -> {
        connection.write(RawHttpServer.switchingProtocols(key));
        connection.writeFrame(WsFrame.text(String.valueOf(cases.size()), false));
        closeNormally(connection);
        record(target + " -> " + cases.size());
      }
      case "/runCase" -> {
        int n = parseCase(query.get("case"));
        if (n < 1 || n > cases.size()) {
          connection.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
          record(target + " -> 404");
          return;
        }
        WireCase c = cases.get(n - 1);
        Peer peer = new Peer(connection, Role.CLIENT);
        DeflateTerms deflate = c.deflate();
        if (c.handshake() != null) {
          c.handshake().answer(connection, key);
        } else if (deflate != null) {
          connection.write(
              RawHttpServer.switchingProtocols(
                  key, "Sec-WebSocket-Extensions: " + deflate.header()));
          String offer = request.header("Sec-WebSocket-Extensions");
          if (offer == null || !offer.contains("permessage-deflate")) {
            peer.note("the client did not offer permessage-deflate (" + offer + ")");
          }
          peer.useDeflate(deflate);
        } else {
          connection.write(RawHttpServer.switchingProtocols(key));
        }
        CaseResult result = c.runOn(peer, Role.CLIENT);
        synchronized (this) {
          results.add(result);
        }
        record(target + " -> " + c.id() + " " + result.verdict().label());
      }
      case "/updateReports" -> {
        connection.write(RawHttpServer.switchingProtocols(key));
        synchronized (this) {
          reportAgents.add(query.getOrDefault("agent", ""));
        }
        closeNormally(connection);
        record(target + " -> reports updated");
      }
      default -> {
        connection.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        record(target + " -> 404");
      }
    }
  }

  /** Sends close 1000 and waits for the client's answer, then the caller closes TCP. */
  private static void closeNormally(RawConnection connection) throws IOException {
    connection.writeFrame(WsFrame.close(1000, "", false));
    connection.readUntilClose();
  }

  private static int parseCase(String value) {
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> query(String query) {
    Map<String, String> values = new HashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  private synchronized void record(String line) {
    log.add(line);
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
  }
}
