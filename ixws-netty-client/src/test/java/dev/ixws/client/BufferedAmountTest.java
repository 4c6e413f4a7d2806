package dev.ixws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketInitResult;
import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.WsFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BufferedAmountTest {

  private static final int MESSAGES = 16;
  private static final AtomicReference<RawConnection> PEER = new AtomicReference<>();
  private static final int MESSAGE_BYTES = 256 * 1024;

  @Test
  void bufferedAmountCountsWhatThePeerHasNotReadYetAndDrainsToZero() throws Exception {
    try (RawHttpServer raw = new RawHttpServer()) {
      WebSocket client = new WebSocket();
      client.setUrl("ws://127.0.0.1:" + raw.port() + "/");
      Thread handshake =
          new Thread(
              () -> {
                try {
                  RawConnection connection = raw.accept(Duration.ofSeconds(5));
                  HttpHead request = connection.readHead();
                  connection.write(
                      RawHttpServer.switchingProtocols(request.header("Sec-WebSocket-Key")));
                  PEER.set(connection);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      handshake.start();
      WebSocketInitResult result = client.connect(5);
      handshake.join();
      assertTrue(result.success(), result.errorStr());
      assertEquals(0, client.getBufferedAmount());

      // The peer reads nothing: 4 MiB cannot all fit in the loopback socket buffers.
      byte[] payload = new byte[MESSAGE_BYTES];
      for (int i = 0; i < MESSAGES; i++) {
        assertTrue(client.sendBinary(payload).success());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (client.getBufferedAmount() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      long buffered = client.getBufferedAmount();
      assertTrue(buffered > 0, "some bytes wait for the peer");
      // Netty counts a small bookkeeping overhead per queued buffer on top of the frame bytes.
      assertTrue(buffered <= (long) MESSAGES * (MESSAGE_BYTES + 1024), "about what was sent");

      // Once the peer reads everything, nothing is left buffered.
      try (RawConnection peer = PEER.get()) {
        // Generous: 4 MiB through the paranoid leak detector is slow on a loaded machine.
        peer.setReadTimeout(Duration.ofSeconds(30));
        for (int i = 0; i < MESSAGES; i++) {
          WsFrame frame = peer.readFrame();
          assertEquals(MESSAGE_BYTES, frame.payload().length);
        }
        // The event loop counts a write done just after the bytes reach the socket: poll.
        long drained = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.getBufferedAmount() != 0 && System.nanoTime() < drained) {
          Thread.onSpinWait();
        }
        assertEquals(0, client.getBufferedAmount());
        client.close();
        assertEquals(1000, peer.readFrame().closeCode());
      }
      client.stop();
    }
  }
}
