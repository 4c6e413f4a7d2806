package dev.ixws.internal.handshake;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The two keys of the opening handshake (RFC 6455 sections 1.3 and 4.1): the client's random {@code
 * Sec-WebSocket-Key} and the {@code Sec-WebSocket-Accept} the server derives from it. The one place
 * both roles compute them: the server to answer, the client to check the answer.
 */
public final class AcceptKey {

  /** RFC 6455 section 1.3: appended to the client's key before hashing. */
  private static final byte[] GUID =
      "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

  // One digest per thread (event loops mostly): getInstance looks the provider up on every call.
  private static final FastThreadLocal<MessageDigest> SHA1 =
      new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
          return MessageDigest.getInstance("SHA-1");
        }
      };

  // The key must be unpredictable (RFC 6455 section 4.1 item 7, and 10.3 on proxies' caches).
  // SecureRandom is thread-safe; one instance seeded once serves every connection.
  private static final SecureRandom RANDOM = new SecureRandom();

  private AcceptKey() {}

  /** A new {@code Sec-WebSocket-Key}: 16 random bytes, base64-encoded (24 characters). */
  public static String newKey() {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** {@code Sec-WebSocket-Accept} for {@code key}: base64(SHA-1(key + GUID)), as ASCII bytes. */
  public static byte[] asciiFor(String key) {
    MessageDigest sha1 = SHA1.get();
    sha1.update(key.getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encode(sha1.digest(GUID));
  }

  /** {@code Sec-WebSocket-Accept} for {@code key}, as a string. */
  public static String of(String key) {
    return new String(asciiFor(key), StandardCharsets.US_ASCII);
  }
}
