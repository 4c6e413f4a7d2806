package dev.ixws.examples;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketMessageType;
import dev.ixws.server.WebSocketServer;
import java.util.function.Consumer;

/**
 * The guide's "WebSocket server API" example: an echo server that prints each new connection's id,
 * URI and headers, and sends every message back in the mode it came in.
 *
 * <p>IX's {@code server.wait()} is {@link WebSocketServer#awaitStop()} ({@code wait()} is {@link
 * Object#wait()} in Java), and {@code listen()}'s {@code std::pair<bool, std::string>} is a {@link
 * ListenResult} with {@code ok()} and {@code errorMessage()}.
 */
public final class EchoServerExample {

  private EchoServerExample() {}

  /** Runs the server on port {@code args[0]} (default 8080) of 127.0.0.1 until killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : WebSocketServer.DEFAULT_PORT;
    System.exit(run(port, System.err::println, server -> {}));
  }

  /**
   * Runs the echo server on {@code port} of 127.0.0.1 (0 picks a free port) and blocks until it is
   * stopped.
   *
   * @param err where the example prints (the C++ prints to {@code std::cerr})
   * @param onStarted Java addition: receives the started server, so the caller can read its port
   *     and {@code stop()} it from another thread
   * @return 0 once the server was stopped, 1 if it could not listen
   */
  public static int run(int port, Consumer<String> err, Consumer<WebSocketServer> onStarted)
      throws InterruptedException {
    // Run a server on localhost at a given port.
    // Bound host name, max connections and listen backlog can also be passed in as parameters.
    WebSocketServer server = new WebSocketServer(port);

    server.setOnConnectionCallback(
        (webSocket, connectionState) -> {
          webSocket.setOnMessageCallback(
              msg -> {
                if (msg.type() == WebSocketMessageType.OPEN) {
                  err.accept("New connection");

                  // A connection state object is available, and has a default id
                  // You can subclass ConnectionState and pass an alternate factory
                  // to override it. It is useful if you want to store custom
                  // attributes per connection (authenticated bool flag, attributes, etc...)
                  err.accept("id: " + connectionState.getId());

                  // The uri the client did connect to.
                  err.accept("Uri: " + msg.openInfo().uri());

                  err.accept("Headers:");
                  msg.openInfo()
                      .headers()
                      .forEach((name, value) -> err.accept(name + ": " + value));
                } else if (msg.type() == WebSocketMessageType.MESSAGE) {
                  // For an echo server, we just send back to the client whatever was received by
                  // the server. All connected clients are available with server.getClients().
                  // Second parameter tells whether we are sending the message in binary or text
                  // mode. Here we send it in the same mode as it was received.
                  webSocket.send(msg.str(), msg.binary());
                }
              });
        });

    ListenResult res = server.listen();
    if (!res.ok()) {
      // Error handling
      err.accept(res.errorMessage());
      return 1;
    }

    // Run the server in the background. Server can be stopped by calling server.stop()
    server.start();
    onStarted.accept(server);

    // Block until server.stop() is called.
    server.awaitStop();
    return 0;
  }
}
