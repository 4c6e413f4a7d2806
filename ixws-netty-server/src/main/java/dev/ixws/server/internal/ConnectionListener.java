package dev.ixws.server.internal;

import dev.ixws.client.internal.ServerSideAccess;
import dev.ixws.internal.session.WebSocketSession;
import java.net.InetSocketAddress;

/** What the server does with a client whose handshake succeeded. Called on the event loop. */
public interface ConnectionListener {
  /**
   * The client at {@code remote} is connected as {@code handle}; its {@code OPEN} event is emitted
   * right after this returns.
   */
  void onOpen(ServerSideAccess.Handle handle, WebSocketSession session, InetSocketAddress remote);
}
