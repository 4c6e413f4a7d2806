package dev.ixws.internal.session;

import dev.ixws.WebSocketTrafficStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection's traffic counters. The sent ones are added to by whichever thread sends (an
 * atomic add each); the received ones only by the event loop (a plain opaque store). Read from any
 * thread as a {@link WebSocketTrafficStats} snapshot, each counter exact, the set not atomic.
 */
final class TrafficCounters {

  private static final VarHandle MESSAGES_SENT = handle("messagesSent");
  private static final VarHandle PAYLOAD_SENT = handle("payloadSent");
  private static final VarHandle WIRE_SENT = handle("wireSent");
  private static final VarHandle MESSAGES_RECEIVED = handle("messagesReceived");
  private static final VarHandle PAYLOAD_RECEIVED = handle("payloadReceived");
  private static final VarHandle WIRE_RECEIVED = handle("wireReceived");

  @SuppressWarnings("unused") // through the handles
  private long messagesSent;

  @SuppressWarnings("unused")
  private long payloadSent;

  @SuppressWarnings("unused")
  private long wireSent;

  private long messagesReceived;
  private long payloadReceived;
  private long wireReceived;

  /** A message queued for sending; any thread. */
  void sent(long payloadBytes, long wireBytes) {
    MESSAGES_SENT.getAndAdd(this, 1L);
    PAYLOAD_SENT.getAndAdd(this, payloadBytes);
    WIRE_SENT.getAndAdd(this, wireBytes);
  }

  /** A whole message received; the event loop only. */
  void received(long payloadBytes, long wireBytes) {
    MESSAGES_RECEIVED.setOpaque(this, messagesReceived + 1);
    PAYLOAD_RECEIVED.setOpaque(this, payloadReceived + payloadBytes);
    WIRE_RECEIVED.setOpaque(this, wireReceived + wireBytes);
  }

  WebSocketTrafficStats snapshot() {
    return new WebSocketTrafficStats(
        (long) MESSAGES_SENT.getOpaque(this),
        (long) PAYLOAD_SENT.getOpaque(this),
        (long) WIRE_SENT.getOpaque(this),
        (long) MESSAGES_RECEIVED.getOpaque(this),
        (long) PAYLOAD_RECEIVED.getOpaque(this),
        (long) WIRE_RECEIVED.getOpaque(this));
  }

  private static VarHandle handle(String field) {
    try {
      return MethodHandles.lookup().findVarHandle(TrafficCounters.class, field, long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
