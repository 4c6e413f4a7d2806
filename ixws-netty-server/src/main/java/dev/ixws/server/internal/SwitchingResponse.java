package dev.ixws.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server's answer to a valid opening handshake (RFC 6455 section 4.2.2): the {@code 101} status
 * line and its three or four headers, written straight into one buffer. It is the only response
 * every connection gets, so it skips Netty's response object and encoder.
 */
final class SwitchingResponse {

  /** RFC 6455 section 1.3: appended to the client's key before hashing. */
  private static final byte[] GUID =
      "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] HEAD =
      ("HTTP/1.1 101 Switching Protocols\r\n"
              + "Upgrade: websocket\r\n"
              + "Connection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: ")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROTOCOL =
      "\r\nSec-WebSocket-Protocol: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  // One digest per event-loop thread: getInstance looks the provider up on every call.
  private static final FastThreadLocal<MessageDigest> SHA1 =
      new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
          return MessageDigest.getInstance("SHA-1");
        }
      };

  private SwitchingResponse() {}

  /**
   * The response to a request with {@code key} (its {@code Sec-WebSocket-Key}, trimmed), naming
   * {@code protocol} unless it is empty.
   */
  static ByteBuf encode(ByteBufAllocator alloc, String key, String protocol) {
    byte[] accept = acceptKey(key);
    ByteBuf response =
        alloc.buffer(HEAD.length + accept.length + PROTOCOL.length + protocol.length() + 4);
    response.writeBytes(HEAD).writeBytes(accept);
    if (!protocol.isEmpty()) {
      response.writeBytes(PROTOCOL);
      response.writeCharSequence(protocol, StandardCharsets.US_ASCII);
    }
    return response.writeBytes(END);
  }

  /** {@code Sec-WebSocket-Accept}: base64(SHA-1(key + GUID)), as ASCII bytes. */
  static byte[] acceptKey(String key) {
    MessageDigest sha1 = SHA1.get();
    sha1.update(key.getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encode(sha1.digest(GUID));
  }
}
