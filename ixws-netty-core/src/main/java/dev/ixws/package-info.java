/**
 * The IXWebSocket API's shared types: {@link dev.ixws.WebSocketMessage} and its info records,
 * {@link dev.ixws.ReadyState}, {@link dev.ixws.WebSocketHttpHeaders}, send and connect results, and
 * {@link dev.ixws.NetSystem}, which owns the event-loop threads every client and server shares.
 *
 * <p>Threading: every type here is immutable and safe to share between threads, except {@link
 * dev.ixws.WebSocketHttpHeaders.Builder}. {@link dev.ixws.NetSystem} is thread-safe.
 */
package dev.ixws;
