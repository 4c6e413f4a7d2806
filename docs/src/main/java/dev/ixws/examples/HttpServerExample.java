package dev.ixws.examples;

import dev.ixws.ListenResult;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.HttpResponse;
import dev.ixws.http.HttpServer;
import java.util.function.Consumer;

/**
 * The guide's "HTTP server API" example: a server whose callback answers each request with its
 * method and URI.
 *
 * <p>IX's {@code server.wait()} is {@link HttpServer#awaitStop()}, {@code listen()}'s pair is a
 * {@link ListenResult}, and the callback's {@code std::shared_ptr<ConnectionState>} is an {@code
 * HttpConnectionState}.
 */
public final class HttpServerExample {

  private HttpServerExample() {}

  /** Runs the server on port {@code args[0]} (default 8080) of 127.0.0.1 until killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : HttpServer.DEFAULT_PORT;
    System.exit(run(port, "127.0.0.1", System.err::println, server -> {}));
  }

  /**
   * Runs the server on {@code port} of {@code hostname} (0 picks a free port) and blocks until it
   * is stopped.
   *
   * @param err where the example prints (the C++ prints to {@code std::cerr})
   * @param onStarted Java addition: receives the started server, so the caller can read its port
   *     and {@code stop()} it from another thread
   * @return 0 once the server was stopped, 1 if it could not listen
   */
  public static int run(
      int port, String hostname, Consumer<String> err, Consumer<HttpServer> onStarted)
      throws InterruptedException {
    HttpServer server = new HttpServer(port, hostname);

    // If you want to handle how requests are processed, implement the setOnConnectionCallback
    // callback, which takes an HttpRequest as input, and returns an HttpResponse.
    server.setOnConnectionCallback(
        (request, connectionState) -> {
          // Build a string for the response
          String content = request.method() + " " + request.uri();
          return new HttpResponse(200, "OK", HttpErrorCode.OK, WebSocketHttpHeaders.EMPTY, content);
        });

    ListenResult res = server.listen();
    if (!res.ok()) {
      err.accept(res.errorMessage());
      return 1;
    }
    server.start();
    onStarted.accept(server);
    server.awaitStop();
    return 0;
  }
}
