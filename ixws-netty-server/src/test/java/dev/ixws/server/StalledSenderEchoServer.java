package dev.ixws.server;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketMessageType;

/**
 * The echo server that {@link HostileStalledSendersTest} starts in a JVM of its own, with a small
 * heap: it prints {@code Listening on PORT} once started, echoes every message, and stops when its
 * standard input ends (so it never outlives the test that started it). An argument, if given, is
 * the server's receive budget in bytes ({@link WebSocketServer#setMaxPendingReceiveBytes}).
 */
public final class StalledSenderEchoServer {

  private StalledSenderEchoServer() {}

  /** Runs the server until standard input is closed. */
  public static void main(String[] args) throws Exception {
    // The CLI echo-server's settings (connections in the thousands, a deep backlog).
    WebSocketServer server = new WebSocketServer(0, "127.0.0.1", 1024, 10_000, 3);
    if (args.length > 0) {
      server.setMaxPendingReceiveBytes(Long.parseLong(args[0]));
    }
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                msg -> {
                  if (msg.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.send(msg);
                  }
                }));
    ListenResult listening = server.listen();
    if (!listening.ok()) {
      System.out.println("Cannot listen: " + listening.errorMessage());
      System.exit(1);
    }
    server.start();
    System.out.println("Listening on " + server.getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Wait for the end of input.
    }
    server.stop();
  }
}
