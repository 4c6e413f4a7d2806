package dev.ixws.http;

/**
 * Receives the response of {@link HttpClient#performRequest}: IX's {@code OnResponseCallback}.
 *
 * <p>Runs once per request on a thread of the client's callback pool (never an event loop), after
 * every chunk and progress callback of that request. It may block, though a blocked callback holds
 * a pool thread.
 */
@FunctionalInterface
public interface OnResponseCallback {
  /** Called with the response, or the failure as a response with an error code; never null. */
  void onResponse(HttpResponse response);
}
