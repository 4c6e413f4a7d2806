package dev.ixws.server.internal;

import dev.ixws.internal.handshake.AcceptKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The server's answer to a valid opening handshake (RFC 6455 section 4.2.2): the {@code 101} status
 * line and its three or four headers, written straight into one buffer. It is the only response
 * every connection gets, so it skips Netty's response object and encoder.
 */
final class SwitchingResponse {

  private static final byte[] HEAD =
      ("HTTP/1.1 101 Switching Protocols\r\n"
              + "Upgrade: websocket\r\n"
              + "Connection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: ")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROTOCOL =
      "\r\nSec-WebSocket-Protocol: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EXTENSIONS =
      "\r\nSec-WebSocket-Extensions: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private SwitchingResponse() {}

  /**
   * The response to a request with {@code key} (its {@code Sec-WebSocket-Key}, trimmed), naming
   * {@code protocol} and {@code extensions} (the accepted extensions' header value) unless empty.
   */
  static ByteBuf encode(ByteBufAllocator alloc, String key, String protocol, String extensions) {
    byte[] accept = AcceptKey.asciiFor(key);
    ByteBuf response =
        alloc.buffer(
            HEAD.length
                + accept.length
                + PROTOCOL.length
                + protocol.length()
                + EXTENSIONS.length
                + extensions.length()
                + 4);
    response.writeBytes(HEAD).writeBytes(accept);
    if (!protocol.isEmpty()) {
      response.writeBytes(PROTOCOL);
      response.writeCharSequence(protocol, StandardCharsets.US_ASCII);
    }
    if (!extensions.isEmpty()) {
      response.writeBytes(EXTENSIONS);
      response.writeCharSequence(extensions, StandardCharsets.US_ASCII);
    }
    return response.writeBytes(END);
  }
}
