package dev.ixws.http;

/**
 * Answers one request of an {@link HttpServer}: IXWebSocket's {@code OnConnectionCallback} ({@code
 * (HttpRequestPtr, std::shared_ptr<ConnectionState>) -> HttpResponsePtr}).
 *
 * <p>Runs on the server's callback executor, never on an event loop, so it may block (a database
 * call). Requests of one connection are handled one at a time and answered in order; requests of
 * different connections run concurrently. An exception, or a {@code null} result, is answered with
 * 500 and logged; the connection goes on.
 */
@FunctionalInterface
public interface OnHttpConnectionCallback {
  /** The response to {@code request}, which arrived on the connection {@code state}. */
  HttpResponse onConnection(HttpRequest request, HttpConnectionState state);
}
