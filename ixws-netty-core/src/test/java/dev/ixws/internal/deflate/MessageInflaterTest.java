package dev.ixws.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.RawDeflate;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The inflater against streams made by an independent compressor (JZlib) with every window. */
class MessageInflaterTest {

  private static byte[] inflate(MessageInflater inflater, byte[] payload)
      throws DataFormatException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1000];
    inflater.setInput(payload, 0, payload.length);
    drain(inflater, out, buffer);
    inflater.finishMessage();
    drain(inflater, out, buffer);
    inflater.endMessage();
    return out.toByteArray();
  }

  private static void drain(MessageInflater inflater, ByteArrayOutputStream out, byte[] buffer)
      throws DataFormatException {
    while (!inflater.needsInput() && !inflater.streamEnded()) {
      int n = inflater.inflate(buffer, 0, buffer.length);
      out.write(buffer, 0, n);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {9, 10, 11, 12, 13, 14, 15})
  void streamsOfEveryWindowInflateWithContextAcrossMessages(int bits) throws Exception {
    RawDeflate.Compressor peer = new RawDeflate.Compressor(bits, false);
    MessageInflater inflater = new MessageInflater(false);
    Random random = new Random(bits);
    for (int i = 0; i < 10; i++) {
      byte[] data = MessageDeflaterTest.text(random, 1 + random.nextInt(50_000));
      assertArrayEquals(data, inflate(inflater, peer.compress(data)), "message " + i);
    }
    assertTrue(inflater.holdsInflater());
    inflater.end();
    assertFalse(inflater.holdsInflater());
  }

  @Test
  void aPeerWithoutContextTakeoverNeedsNoInflaterOfOurOwn() throws Exception {
    RawDeflate.Compressor peer = new RawDeflate.Compressor(15, true);
    MessageInflater inflater = new MessageInflater(true);
    Random random = new Random(4);
    for (int i = 0; i < 5; i++) {
      byte[] data = MessageDeflaterTest.text(random, 5000);
      assertArrayEquals(data, inflate(inflater, peer.compress(data)));
    }
    assertFalse(inflater.holdsInflater(), "a borrowed inflater is given back after each message");
    inflater.end();
  }
}
