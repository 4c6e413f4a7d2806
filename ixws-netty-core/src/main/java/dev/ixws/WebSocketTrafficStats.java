package dev.ixws;

/**
 * What one connection has sent and received so far: message payload bytes (as the application sees
 * them, inflated) and the bytes those messages took on the wire (frame headers included, compressed
 * when per-message deflate compressed them). Control frames are not counted. Not in IXWebSocket.
 *
 * <p>The ratio of wire to payload bytes is what per-message deflate saves: {@link
 * #sentCompressionRatio()} and {@link #receivedCompressionRatio()}. An immutable snapshot;
 * thread-safe.
 *
 * @param messagesSent data messages written to the connection (counted on its event loop as they go
 *     out; one accepted by a send just before the connection closed may be left out)
 * @param payloadBytesSent their payload bytes, before compression
 * @param wireBytesSent their bytes on the wire
 * @param messagesReceived data messages received whole
 * @param payloadBytesReceived their payload bytes, after inflation
 * @param wireBytesReceived their bytes on the wire
 */
public record WebSocketTrafficStats(
    long messagesSent,
    long payloadBytesSent,
    long wireBytesSent,
    long messagesReceived,
    long payloadBytesReceived,
    long wireBytesReceived) {

  /** No traffic: a connection that is not open yet. */
  public static final WebSocketTrafficStats NONE = new WebSocketTrafficStats(0, 0, 0, 0, 0, 0);

  /** Wire bytes per payload byte sent (below 1 when compression paid off); 1 when none was sent. */
  public double sentCompressionRatio() {
    return payloadBytesSent == 0 ? 1.0 : (double) wireBytesSent / payloadBytesSent;
  }

  /** Wire bytes per payload byte received; 1 when none was received. */
  public double receivedCompressionRatio() {
    return payloadBytesReceived == 0 ? 1.0 : (double) wireBytesReceived / payloadBytesReceived;
  }
}
