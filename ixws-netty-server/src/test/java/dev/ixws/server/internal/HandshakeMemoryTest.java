package dev.ixws.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.internal.codec.ReceiveBudget;
import dev.ixws.internal.session.SessionConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a handshake request can make the server hold: the production handshake pipeline ({@link
 * ServerListener#initHandshake}) on an {@link EmbeddedChannel} whose allocator counts every buffer
 * the HTTP decoder keeps between reads, the socket reads included. However long the request line,
 * headers or body a client sends, and however slowly, the server holds at most the 8 KiB bound
 * (plus the piece just read) in buffers, and then refuses the request. (The decoder also copies the
 * line being parsed into a char buffer bounded by the same 8 KiB.)
 */
class HandshakeMemoryTest {

  /** The HTTP decoder's bound (8 KiB) plus one piece of input and the decoder's rounding. */
  private static final long MAX_HELD_BYTES = 8192 + 2 * 1024;

  private static final int PIECE = 512;

  private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(false);

  private EmbeddedChannel handshakeChannel() {
    ServerSpec spec =
        new ServerSpec(10, 3000, List.of(), new SessionConfig(false, 1 << 20, 1000, true), null);
    ConnectionListener listener = (webSocket, role, session, remote) -> {};
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ServerListener.initHandshake(
                    ch, spec, new AtomicInteger(), new ReceiveBudget("server", 1 << 20), listener);
              }
            });
    channel.config().setAllocator(allocator);
    return channel;
  }

  /**
   * {@code bytes} as one socket read, in a buffer of the counting allocator as the transport's
   * would be: what the decoder keeps of its input is counted too.
   */
  private ByteBuf read(byte[] bytes) {
    return allocator.heapBuffer(bytes.length).writeBytes(bytes);
  }

  private long held() {
    ByteBufAllocatorMetric metric = allocator.metric();
    return metric.usedHeapMemory() + metric.usedDirectMemory();
  }

  /**
   * Feeds {@code head}, then {@code filler} pieces until the server closes the connection, checking
   * after each read what the server holds; returns the status line of its answer.
   */
  private String feedUntilRefused(String head, byte filler) {
    EmbeddedChannel channel = handshakeChannel();
    channel.writeInbound(read(head.getBytes(StandardCharsets.ISO_8859_1)));
    byte[] piece = new byte[PIECE];
    java.util.Arrays.fill(piece, filler);
    int pieces = 0;
    while (channel.isOpen()) {
      channel.writeInbound(read(piece));
      pieces++;
      assertTrue(held() <= MAX_HELD_BYTES, held() + " bytes held after " + pieces + " pieces");
      assertTrue(pieces < 1000, "still open after " + pieces * PIECE + " bytes");
    }
    assertTrue(pieces * PIECE <= 8192 + PIECE, "refused only after " + pieces * PIECE + " bytes");
    StringBuilder answer = new StringBuilder();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      answer.append(out.toString(StandardCharsets.ISO_8859_1));
      out.release();
    }
    assertFalse(channel.finishAndReleaseAll(), "nothing else left in the channel");
    assertEquals(0, held(), "everything the decoder held is released");
    return answer.substring(0, answer.indexOf("\r\n"));
  }

  @Test
  void anEndlessRequestLineHoldsAtMostItsBoundThenGets414() {
    assertEquals("HTTP/1.1 414 Request-URI Too Long", feedUntilRefused("GET /", (byte) 'p'));
  }

  @Test
  void anEndlessHeaderHoldsAtMostItsBoundThenGets431() {
    assertEquals(
        "HTTP/1.1 431 Request Header Fields Too Large",
        feedUntilRefused("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ", (byte) 'a'));
  }

  @Test
  void anEndlessRunOfHeadersHoldsAtMostTheBoundThenGets431() {
    // Many short headers rather than one long one: the 8 KiB bound is on the whole section.
    String head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    EmbeddedChannel channel = handshakeChannel();
    channel.writeInbound(read(head.getBytes(StandardCharsets.ISO_8859_1)));
    int written = 0;
    while (channel.isOpen()) {
      channel.writeInbound(
          read(("X-H" + written + ": v\r\n").getBytes(StandardCharsets.ISO_8859_1)));
      written++;
      assertTrue(held() <= MAX_HELD_BYTES, held() + " bytes held after " + written + " headers");
      assertTrue(written < 10_000, "still open after " + written + " headers");
    }
    ByteBuf out = channel.readOutbound();
    String answer = out.toString(StandardCharsets.ISO_8859_1);
    out.release();
    assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    channel.finishAndReleaseAll();
    assertEquals(0, held());
  }

  @Test
  void aHugeDeclaredBodyHoldsNothingAndGets413After8KiB() {
    String head =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Content-Length: 100000000\r\n\r\n";
    assertEquals("HTTP/1.1 413 Request Entity Too Large", feedUntilRefused(head, (byte) 'b'));
  }
}
