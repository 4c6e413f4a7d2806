/**
 * The RFC 6455 wire format: the {@link dev.ixws.internal.codec.FrameReader} that turns bytes into
 * whole, validated messages (and will inflate per-message-deflate payloads, since it emits whole
 * messages), frame helpers, the streaming UTF-8 validator and the {@link
 * dev.ixws.internal.codec.ReceiveBudget} that bounds what messages still arriving may hold. Knows
 * nothing of sessions, handshakes or sockets.
 *
 * <p>Threading: the reader is a channel handler confined to its channel's event loop; the helpers
 * are stateless; the budget is thread-safe (shared by a server's connections).
 */
package dev.ixws.internal.codec;
