package dev.ixws.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.PerMessageDeflateOptions;
import dev.ixws.testkit.RawDeflate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compressor against an independent inflater (JZlib) set to exactly the agreed window and
 * context mode: a stream that refers past the window, or across messages when it must not, fails.
 */
class MessageDeflaterTest {

  /** Compressible, but not trivially: words drawn at random, so back-references go far. */
  static byte[] text(Random random, int length) {
    String[] words = {
      "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "{\"id\":"
    };
    StringBuilder text = new StringBuilder(length + 16);
    while (text.length() < length) {
      text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
    }
    return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] compress(MessageDeflater deflater, byte[] data) {
    ByteBuf payload = Unpooled.wrappedBuffer(data);
    ByteBuf out = deflater.compress(ByteBufAllocator.DEFAULT, payload);
    payload.release();
    if (out == null) {
      return null;
    }
    try {
      return ByteBufUtil.getBytes(out);
    } finally {
      out.release();
    }
  }

  @ParameterizedTest
  @CsvSource({"15, false", "15, true", "14, false", "12, true", "10, false", "9, false", "9, true"})
  void everyWindowAndContextModeInflatesWithExactlyThatWindow(int bits, boolean noContext) {
    DeflateParameters agreed = new DeflateParameters(false, noContext, 15, bits);
    MessageDeflater deflater = new MessageDeflater(agreed, PerMessageDeflateOptions.DEFAULT, false);
    RawDeflate.Decompressor peer = new RawDeflate.Decompressor(bits, noContext);
    Random random = new Random(bits);
    try {
      for (int i = 0; i < 20; i++) {
        // Empty messages first and in between: zlib makes nothing for them after a flush.
        byte[] data = text(random, i % 7 == 0 ? 0 : 1 + random.nextInt(100_000));
        byte[] compressed = compress(deflater, data);
        assertArrayEquals(data, peer.inflate(compressed), "message " + i);
      }
    } finally {
      deflater.end();
    }
  }

  @Test
  void contextTakeoverMakesRepeatedMessagesSmaller() {
    MessageDeflater deflater =
        new MessageDeflater(DeflateParameters.DEFAULTS, PerMessageDeflateOptions.DEFAULT, true);
    byte[] data = text(new Random(1), 2000);
    int first = compress(deflater, data).length;
    int second = compress(deflater, data).length;
    deflater.end();
    assertTrue(second < first / 10, "first " + first + ", second " + second);
  }

  @Test
  void withoutContextTakeoverEachMessageStandsAlone() {
    DeflateParameters agreed = new DeflateParameters(true, false, 15, 15);
    MessageDeflater deflater = new MessageDeflater(agreed, PerMessageDeflateOptions.DEFAULT, true);
    byte[] data = text(new Random(2), 2000);
    compress(deflater, data);
    // A fresh inflater reads the second message alone.
    assertArrayEquals(data, RawDeflate.inflate(compress(deflater, data)));
    assertFalse(deflater.holdsCompressor(), "nothing is kept between messages");
  }

  @Test
  void theCompressorIsMadeWithTheFirstMessageAndFreedByEnd() {
    MessageDeflater deflater =
        new MessageDeflater(DeflateParameters.DEFAULTS, PerMessageDeflateOptions.DEFAULT, false);
    assertFalse(deflater.holdsCompressor());
    compress(deflater, new byte[100]);
    assertTrue(deflater.holdsCompressor());
    deflater.end();
    assertFalse(deflater.holdsCompressor());
    assertNull(compress(deflater, new byte[100]), "after end nothing is compressed");
  }

  @Test
  void messagesBelowTheThresholdGoUncompressed() {
    PerMessageDeflateOptions options =
        PerMessageDeflateOptions.builder().compressionThreshold(1024).build();
    MessageDeflater deflater = new MessageDeflater(DeflateParameters.DEFAULTS, options, false);
    assertNull(compress(deflater, new byte[1023]));
    assertArrayEquals(new byte[1024], RawDeflate.inflate(compress(deflater, new byte[1024])));
    deflater.end();
  }

  @Test
  void anEightBitWindowSendsUncompressed() {
    MessageDeflater deflater =
        new MessageDeflater(
            new DeflateParameters(false, false, 8, 15), PerMessageDeflateOptions.DEFAULT, true);
    assertNull(compress(deflater, new byte[1000]));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 9})
  void otherMemoryLevelsUseJzlibAndStillInflate(int memoryLevel) {
    PerMessageDeflateOptions options =
        PerMessageDeflateOptions.builder().memoryLevel(memoryLevel).compressionLevel(9).build();
    MessageDeflater deflater = new MessageDeflater(DeflateParameters.DEFAULTS, options, false);
    RawDeflate.Decompressor peer = new RawDeflate.Decompressor(15, false);
    Random random = new Random(memoryLevel);
    for (int i = 0; i < 5; i++) {
      byte[] data = text(random, 50_000);
      assertArrayEquals(data, peer.inflate(compress(deflater, data)));
    }
    deflater.end();
  }

  @Test
  void incompressibleDataStillRoundTrips() {
    byte[] data = new byte[300_000];
    new Random(3).nextBytes(data);
    MessageDeflater deflater =
        new MessageDeflater(DeflateParameters.DEFAULTS, PerMessageDeflateOptions.DEFAULT, false);
    assertArrayEquals(data, RawDeflate.inflate(compress(deflater, data)));
    deflater.end();
  }
}
