package dev.ixws.internal.session;

import dev.ixws.WebSocketTrafficStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection's traffic counters, written only by its event loop (messages sent are counted as
 * they enter the pipeline, not on the sending thread), so each update is a plain opaque store
 * rather than an atomic add on the send path. Read from any thread as a {@link
 * WebSocketTrafficStats} snapshot, each counter exact, the set not atomic.
 */
final class TrafficCounters {

  private static final VarHandle MESSAGES_SENT = handle("messagesSent");
  private static final VarHandle PAYLOAD_SENT = handle("payloadSent");
  private static final VarHandle WIRE_SENT = handle("wireSent");
  private static final VarHandle MESSAGES_RECEIVED = handle("messagesReceived");
  private static final VarHandle PAYLOAD_RECEIVED = handle("payloadReceived");
  private static final VarHandle WIRE_RECEIVED = handle("wireReceived");

  private long messagesSent;
  private long payloadSent;
  private long wireSent;
  private long messagesReceived;
  private long payloadReceived;
  private long wireReceived;

  /** A data message written to the pipeline; the event loop only. */
  void sent(long payloadBytes, long wireBytes) {
    MESSAGES_SENT.setOpaque(this, messagesSent + 1);
    PAYLOAD_SENT.setOpaque(this, payloadSent + payloadBytes);
    WIRE_SENT.setOpaque(this, wireSent + wireBytes);
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
