package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ixws.testkit.StrictUtf8;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming validator agrees with the JDK's strict UTF-8 decoder, however the bytes are cut.
 */
class Utf8ValidatorTest {

  /** Bytes that make up the edge cases: ASCII, lead bytes of every kind, continuation bytes. */
  private static final int[] INTERESTING = {
    0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
    0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF
  };

  private static boolean oursAccepts(byte[] bytes, int cut) {
    Utf8Validator validator = new Utf8Validator();
    return validator.update(bytes, 0, cut)
        && validator.update(bytes, cut, bytes.length - cut)
        && validator.complete();
  }

  @Test
  void agreesWithTheJdkOnEverySequenceOfUpToThreeInterestingBytes() {
    for (int a : INTERESTING) {
      for (int b : INTERESTING) {
        for (int c : INTERESTING) {
          byte[] bytes = {(byte) a, (byte) b, (byte) c};
          for (int cut = 0; cut <= bytes.length; cut++) {
            assertEquals(
                StrictUtf8.isValid(bytes), oursAccepts(bytes, cut), hex(bytes) + " cut at " + cut);
          }
        }
      }
    }
  }

  @Test
  void agreesWithTheJdkOnRandomMixedText() {
    Random random = new Random(42);
    String[] pieces = {"a", "hello world ", "\u00e9", "\u20ac", "\uD83D\uDE00", "\u0800", "\uFFFD"};
    for (int round = 0; round < 3000; round++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(40);
      for (int i = 0; i < n; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0 && random.nextBoolean()) {
        // Corrupt one byte with an interesting value half the time.
        bytes[random.nextInt(bytes.length)] =
            (byte) INTERESTING[random.nextInt(INTERESTING.length)];
      }
      int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
      assertEquals(
          StrictUtf8.isValid(bytes), oursAccepts(bytes, cut), hex(bytes) + " cut at " + cut);
    }
  }

  @Test
  void longAsciiRunsWithOneBadByteAnywhereAreRejected() {
    byte[] bytes = new byte[100];
    java.util.Arrays.fill(bytes, (byte) 'x');
    for (int bad = 0; bad < bytes.length; bad++) {
      byte[] copy = bytes.clone();
      copy[bad] = (byte) 0x80;
      assertEquals(false, oursAccepts(copy, 0), "bad byte at " + bad);
    }
    assertEquals(true, oursAccepts(bytes, 37));
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02X", b & 0xFF));
    }
    return s.toString();
  }
}
