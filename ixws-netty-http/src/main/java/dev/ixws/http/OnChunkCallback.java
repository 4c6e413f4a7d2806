package dev.ixws.http;

/**
 * Receives the response body piece by piece instead of collecting it: IX's {@code OnChunkCallback}.
 * With one set, {@link HttpResponse#body()} is empty and no size limit applies to the body.
 *
 * <p>Called on the request's callback thread (never an event loop), in order. A slow callback slows
 * the download (reading pauses while more than about 1 MiB waits for it) rather than buffering
 * without bound.
 */
@FunctionalInterface
public interface OnChunkCallback {
  /** One piece of the (decoded) body; the array belongs to the callee. */
  void onChunk(byte[] chunk);
}
