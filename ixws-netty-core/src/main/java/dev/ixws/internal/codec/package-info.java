/**
 * The RFC 6455 wire format: the {@link dev.ixws.internal.codec.FrameReader} that turns bytes into
 * whole, validated messages (and will inflate per-message-deflate payloads, since it emits whole
 * messages), frame helpers and the streaming UTF-8 validator. Knows nothing of sessions, handshakes
 * or sockets.
 *
 * <p>Threading: the reader is a channel handler confined to its channel's event loop; the helpers
 * are stateless.
 */
package dev.ixws.internal.codec;
