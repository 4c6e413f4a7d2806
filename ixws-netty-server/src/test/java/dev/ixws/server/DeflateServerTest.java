package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.internal.deflate.DeflateContexts;
import dev.ixws.server.testing.TestServers;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import dev.ixws.testkit.RawDeflate;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-message deflate on a real server over loopback: a decompression bomb and invalid deflate data
 * cost the server a bounded amount and only their own connection, and closing many compressed
 * connections frees every compression context.
 */
@Timeout(60)
class DeflateServerTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int LIMIT = 16 << 20;

  private WebSocketServer server;
  private final List<WebSocket> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(WebSocket::stop);
    if (server != null) {
      server.stop();
    }
  }

  private void startEchoServer() {
    server = new WebSocketServer(0, "127.0.0.1");
    server.setMaxMessageSize(LIMIT);
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                msg -> {
                  if (msg.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.send(msg);
                  }
                }));
    TestServers.started(server);
  }

  /** One of our clients, open, with deflate negotiated, recording its events. */
  private WebSocket openClient(EventRecorder<WebSocketMessage> events) {
    WebSocket client = new WebSocket();
    clients.add(client);
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/");
    client.disableAutomaticReconnection();
    client.setOnMessageCallback(events::accept);
    client.start();
    WebSocketMessage open = events.next(WAIT);
    assertEquals(WebSocketMessageType.OPEN, open.type(), open::toString);
    assertTrue(open.openInfo().perMessageDeflate().enabled(), "deflate negotiated");
    return client;
  }

  private void assertEchoes(WebSocket client, EventRecorder<WebSocketMessage> events, String text) {
    assertTrue(client.send(text).success());
    WebSocketMessage echo = events.next(WAIT);
    assertEquals(WebSocketMessageType.MESSAGE, echo.type(), echo::toString);
    assertEquals(text, echo.str());
  }

  /** 1 GiB of zeros, compressed (about 1 MB), tail removed. */
  private static byte[] gigabyteBomb() {
    Deflater deflater = new Deflater(1, true);
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
    byte[] buffer = new byte[64 * 1024];
    for (int i = 0; i < 1024; i++) {
      deflater.setInput(zeros);
      while (!deflater.needsInput()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    int n;
    while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buffer, 0, n);
      if (n < buffer.length) {
        break;
      }
    }
    deflater.end();
    byte[] all = out.toByteArray();
    return java.util.Arrays.copyOf(all, all.length - 4);
  }

  @Test
  void aGigabyteBombIsRefusedWith1009WithinTheLimitWhileOthersAreServed() throws Exception {
    startEchoServer();
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket bystander = openClient(events);
    byte[] bomb = gigabyteBomb();

    Runtime runtime = Runtime.getRuntime();
    System.gc();
    long baseline = runtime.totalMemory() - runtime.freeMemory();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                Thread.onSpinWait();
              }
            });
    watcher.start();
    try (RawWebSocketClient attacker =
        RawWebSocketClient.open(server.getPort(), "/", "permessage-deflate")) {
      assertTrue(
          attacker
              .handshakeResponse()
              .header("Sec-WebSocket-Extensions")
              .startsWith("permessage-deflate"));
      // Written from another thread: the server fails the connection long before the last of the
      // bomb's megabyte is sent, and a write into its closed socket is refused (that is fine).
      Thread writer =
          new Thread(
              () -> {
                try {
                  attacker.writeFrame(new WsFrame(true, 4, WsFrame.OP_BINARY, true, bomb));
                } catch (IOException expected) {
                  // the server closed first
                }
              });
      writer.start();
      WsFrame close = attacker.readFrame();
      writer.join();
      assertTrue(close.isClose(), close::toString);
      assertEquals(1009, close.closeCode(), close.closeReason());
    } finally {
      watching.set(false);
      watcher.join();
    }
    long grew = peak.get() - baseline;
    // The bomb's own 1 MB, the server's buffer of at most the 16 MiB limit, and slack for the
    // rest of the JVM; a gigabyte inflated would be far over.
    assertTrue(grew < 200L << 20, "the heap grew by " + (grew >> 20) + " MiB");
    assertEchoes(bystander, events, "still served");
    bystander.stop();
    events.skipRemaining();
  }

  @Test
  void invalidDeflateDataClosesOnlyItsConnectionWith1007() throws IOException {
    startEchoServer();
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    WebSocket bystander = openClient(events);
    try (RawWebSocketClient attacker =
        RawWebSocketClient.open(server.getPort(), "/", "permessage-deflate")) {
      attacker.writeFrame(
          new WsFrame(true, 4, WsFrame.OP_TEXT, true, new byte[] {(byte) 0xFF, 0x12, 0x34}));
      WsFrame close = attacker.readFrame();
      assertEquals(1007, close.closeCode(), close.closeReason());
      assertTrue(close.closeReason().startsWith("Invalid compressed data"), close.closeReason());
    }
    assertEchoes(bystander, events, "still served");
    bystander.stop();
    events.skipRemaining();
  }

  @Test
  void aRawPeersCompressedMessageIsInflatedAndTheEchoComesBackCompressed() throws IOException {
    startEchoServer();
    try (RawWebSocketClient peer =
        RawWebSocketClient.open(server.getPort(), "/", "permessage-deflate")) {
      byte[] text =
          "compressed both ways, compressed both ways"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      peer.writeFrame(new WsFrame(true, 4, WsFrame.OP_TEXT, true, RawDeflate.compress(text)));
      WsFrame echo = peer.readFrame();
      assertEquals(4, echo.rsv(), "RSV1: the echo is compressed");
      assertEquals(
          new String(text, java.nio.charset.StandardCharsets.UTF_8),
          new String(RawDeflate.inflate(echo.payload()), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void closingManyCompressedConnectionsFreesEveryCompressionContext() {
    // Sequential opens: each is closed at the end, together.
    startEchoServer();
    int before = DeflateContexts.live();
    List<EventRecorder<WebSocketMessage>> recorders = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // within the server's default 32 connections
      EventRecorder<WebSocketMessage> events = new EventRecorder<>();
      recorders.add(events);
      WebSocket client = openClient(events);
      assertEchoes(client, events, "message " + i + " compressed both ways");
    }
    // Each connection made a compressor and an inflater on each side: 4 per connection (other
    // tests' connections still closing can only lower the count).
    int open = DeflateContexts.live() - before;
    assertTrue(open > 90 && open <= 120, open + " contexts for 30 connections");
    for (WebSocket client : clients) {
      client.stop();
    }
    recorders.forEach(EventRecorder::skipRemaining);
    Await.until("every context is ended", WAIT, () -> DeflateContexts.live() <= before);
  }
}
