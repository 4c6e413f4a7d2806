package dev.ixws.internal.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AcceptKeyTest {

  @Test
  void acceptOfTheRfcSampleKeyIsTheRfcSampleAccept() {
    // RFC 6455 section 1.3.
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", AcceptKey.of("dGhlIHNhbXBsZSBub25jZQ=="));
    assertEquals(
        "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        new String(AcceptKey.asciiFor("dGhlIHNhbXBsZSBub25jZQ=="), StandardCharsets.US_ASCII));
  }

  @Test
  void digestIsResetBetweenCalls() {
    String first = AcceptKey.of("x3JJHMbDL1EzLkh9GBhXDw==");
    assertEquals("HSmrc0sMlYUkAGmm5OPpG2HaGWk=", first, "RFC 6455 section 4.2.2 example");
    assertEquals(first, AcceptKey.of("x3JJHMbDL1EzLkh9GBhXDw=="));
  }

  @Test
  void newKeysAre16RandomBytesInBase64() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String key = AcceptKey.newKey();
      assertEquals(24, key.length());
      assertEquals(16, Base64.getDecoder().decode(key).length);
      keys.add(key);
    }
    assertEquals(100, keys.size(), "no key repeats");
    assertNotEquals(AcceptKey.newKey(), AcceptKey.newKey());
  }
}
