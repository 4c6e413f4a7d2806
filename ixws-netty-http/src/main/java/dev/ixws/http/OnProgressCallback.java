package dev.ixws.http;

/**
 * Reports download progress: IX's {@code OnProgressCallback}, {@code bool(int current, int total)}.
 *
 * <p>Called on the request's callback thread (never an event loop), in order, after each piece of
 * body that arrives.
 */
@FunctionalInterface
public interface OnProgressCallback {
  /**
   * @param current bytes of body received so far (on the wire, before decompression)
   * @param total the {@code Content-Length}, or -1 when the server did not send one
   * @return {@code true} to go on; {@code false} cancels the request ({@link
   *     HttpErrorCode#CANCELLED})
   */
  boolean onProgress(long current, long total);
}
