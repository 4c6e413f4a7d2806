package dev.ixws.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.RawFrames;
import dev.ixws.testkit.WsFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FramesTest {

  @ParameterizedTest(name = "{0} bytes, masked={1} -> {2}")
  @CsvSource({
    "0, false, 2",
    "0, true, 6",
    "125, false, 127",
    "125, true, 131",
    "126, false, 130",
    "126, true, 134",
    "65535, false, 65539",
    "65536, false, 65546",
    "65536, true, 65550",
    "1048576, true, 1048590"
  })
  void wireSizeCountsHeaderMaskAndPayload(long payload, boolean masked, long expected) {
    assertEquals(expected, Frames.wireSize(payload, masked));
  }

  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({"0", "1", "125", "126", "65535", "65536", "70000"})
  void wireSizeMatchesAReferenceEncoder(int payload) {
    for (boolean masked : new boolean[] {false, true}) {
      int actual =
          RawFrames.encode(WsFrame.of(true, WsFrame.OP_BINARY, new byte[payload], masked)).length;
      assertEquals(actual, Frames.wireSize(payload, masked), "masked=" + masked);
    }
  }

  @Test
  void shortReasonIsReturnedUnchanged() {
    String reason = "x".repeat(123);
    assertSame(reason, Frames.truncateCloseReason(reason));
    assertEquals("", Frames.truncateCloseReason(""));
  }

  @Test
  void asciiReasonIsCutAt123Bytes() {
    assertEquals("y".repeat(123), Frames.truncateCloseReason("y".repeat(124)));
  }

  @Test
  void truncationNeverSplitsAMultiByteCharacter() {
    // 2-byte chars: 61 fit (122 bytes), the 62nd would straddle byte 123.
    assertEquals("\u00e9".repeat(61), Frames.truncateCloseReason("\u00e9".repeat(100)));
    // 3-byte chars: exactly 41 fit (123 bytes).
    assertEquals("\u20ac".repeat(41), Frames.truncateCloseReason("\u20ac".repeat(50)));
    // 4-byte chars (surrogate pairs in Java): 30 fit (120 bytes).
    String grin = "\uD83D\uDE00";
    assertEquals(grin.repeat(30), Frames.truncateCloseReason(grin.repeat(40)));
    // Offsets: one ASCII byte shifts every boundary.
    assertEquals("a" + grin.repeat(30), Frames.truncateCloseReason("a" + grin.repeat(40)));
    assertEquals("ab" + grin.repeat(30), Frames.truncateCloseReason("ab" + grin.repeat(40)));
    assertEquals("abc" + grin.repeat(30), Frames.truncateCloseReason("abc" + grin.repeat(40)));
  }

  @Test
  void truncationOfRandomTextIsTheLongestWholeCharacterPrefixWithin123Bytes() {
    Random random = new Random(6455);
    int[] widths = {0x41, 0xE9, 0x20AC, 0x1F600};
    for (int round = 0; round < 2000; round++) {
      StringBuilder text = new StringBuilder();
      int chars = random.nextInt(90);
      for (int i = 0; i < chars; i++) {
        text.appendCodePoint(widths[random.nextInt(widths.length)] + random.nextInt(8));
      }
      String input = text.toString();
      String cut = Frames.truncateCloseReason(input);
      byte[] cutBytes = cut.getBytes(StandardCharsets.UTF_8);
      assertTrue(cutBytes.length <= 123, "too long: " + cutBytes.length);
      assertTrue(input.startsWith(cut), "not a prefix of the input");
      if (cut.length() < input.length()) {
        // The next character would not have fitted.
        int next = input.codePointAt(cut.length());
        int nextBytes = new String(Character.toChars(next)).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(cutBytes.length + nextBytes > 123, "cut too early at " + cutBytes.length);
      }
    }
  }

  @Test
  void latin1RejectsCharsAboveFFWithAReadableMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Frames.latin1(UnpooledByteBufAllocator.DEFAULT, "ok\u20ac"));
    assertTrue(e.getMessage().contains("char 2 is U+20AC"), e.getMessage());
  }

  @Test
  void latin1KeepsEveryByteValue() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c <= 0xFF; c++) {
      all.append(c);
    }
    ByteBuf buf = Frames.latin1(UnpooledByteBufAllocator.DEFAULT, all.toString());
    try {
      byte[] bytes = ByteBufUtil.getBytes(buf);
      assertEquals(256, bytes.length);
      for (int i = 0; i < 256; i++) {
        assertEquals((byte) i, bytes[i]);
      }
    } finally {
      buf.release();
    }
  }

  @Test
  void copyOfByteBufferLeavesItsPositionAlone() {
    ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
    data.position(1);
    ByteBuf buf = Frames.copy(UnpooledByteBufAllocator.DEFAULT, data);
    try {
      assertArrayEquals(new byte[] {2, 3, 4}, ByteBufUtil.getBytes(buf));
      assertEquals(1, data.position());
    } finally {
      buf.release();
    }
  }

  @Test
  void unmaskXorsEachByteWithTheKeyByteOfItsPositionInTheFrame() {
    Random random = new Random(11);
    byte[] key = {(byte) 0x9A, 0x12, (byte) 0xF0, 0x3C};
    int mask = ByteBuffer.wrap(key).getInt();
    for (int frameOffset = 0; frameOffset < 8; frameOffset++) {
      for (int length = 0; length < 40; length++) {
        byte[] bytes = new byte[length + 3];
        random.nextBytes(bytes);
        byte[] expected = bytes.clone();
        for (int i = 0; i < length; i++) {
          expected[1 + i] ^= key[(frameOffset + i) & 3];
        }
        Frames.unmask(bytes, 1, length, mask, frameOffset);
        assertArrayEquals(expected, bytes, "frame offset " + frameOffset + ", length " + length);
      }
    }
  }
}
