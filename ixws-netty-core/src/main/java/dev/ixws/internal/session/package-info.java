/**
 * The engine of one open WebSocket connection, the same for client and server: the {@link
 * dev.ixws.internal.session.WebSocketSession} and its state machine, heartbeat, the immutable
 * {@link dev.ixws.internal.session.SessionConfig} it reads, the mutable {@link
 * dev.ixws.internal.session.SessionSettings} that client and server setters write, and the
 * dispatcher that delivers events to user callbacks.
 *
 * <p>Threading: a session's state changes only on its channel's event loop; its send methods and
 * state getters are safe from any thread. Settings are thread-safe.
 */
package dev.ixws.internal.session;
