package dev.ixws.http;

import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous form of {@link OnHttpConnectionCallback}, for handlers that call other services:
 * it returns at once with a future that completes with the response later, from any thread. Not in
 * IXWebSocket.
 *
 * <p>The method itself runs on the server's callback executor (never an event loop). The next
 * request of the same connection waits until the future completes. A future that fails, or
 * completes with {@code null}, is answered with 500; the method throwing is too.
 */
@FunctionalInterface
public interface OnAsyncHttpConnectionCallback {
  /** The future response to {@code request}, which arrived on the connection {@code state}. */
  CompletableFuture<HttpResponse> onConnection(HttpRequest request, HttpConnectionState state);
}
