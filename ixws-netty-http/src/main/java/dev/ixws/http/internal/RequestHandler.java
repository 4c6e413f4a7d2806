package dev.ixws.http.internal;

import dev.ixws.http.HttpConnectionState;
import dev.ixws.http.HttpRequest;
import dev.ixws.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** The server's view of the user's callback, sync or async: called on the callback executor. */
@FunctionalInterface
public interface RequestHandler {
  /** The future response; may throw, which is answered with 500. */
  CompletableFuture<HttpResponse> handle(HttpRequest request, HttpConnectionState state);
}
