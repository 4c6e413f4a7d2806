package dev.ixws.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ixws.testkit.Await;
import dev.ixws.testkit.RawWebSocketClient;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12's attack, on a small heap: hundreds of connections complete the handshake, each sends a
 * frame header declaring a 1,000,000-byte binary frame and 8 bytes of it, then stalls. Reserving
 * the declared length would need 600 MB; the server runs in a JVM of its own with a 96 MiB heap
 * (and {@code -XX:+ExitOnOutOfMemoryError}, so that an {@code OutOfMemoryError} anywhere, even one
 * an event loop would swallow, ends the process). Throughout and afterwards a fresh client must get
 * its messages echoed, and the server must still be alive with no {@code OutOfMemoryError} in its
 * output.
 */
@Timeout(90)
class HostileStalledSendersTest {

  private static final int ATTACKERS = 600;
  private static final int DECLARED_LENGTH = 1_000_000;
  private static final int SENT_PAYLOAD = 8;
  private static final Pattern LISTENING = Pattern.compile("Listening on (\\d+)");

  private Process server;
  private Path output;
  private final List<RawWebSocketClient> attackers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (RawWebSocketClient attacker : attackers) {
      attacker.close();
    }
    if (server != null) {
      server.getOutputStream().close(); // the server stops at the end of its input
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (output != null) {
      Files.deleteIfExists(output);
    }
  }

  @Test
  void stalledSendersOfHugeDeclaredFramesCostTheServerWhatTheySentNotWhatTheyDeclared()
      throws Exception {
    int port = startServer();
    for (int i = 0; i < ATTACKERS; i++) {
      attack(port, i, SENT_PAYLOAD);
      if (i % 100 == 99) {
        assertTrue(server.isAlive(), "server died after " + (i + 1) + " attackers:\n" + log());
        assertAFreshClientIsEchoed(port, i);
      }
    }
    // Afterwards too, with every attacker still stalled mid-frame.
    for (int i = 0; i < 3; i++) {
      assertAFreshClientIsEchoed(port, ATTACKERS + i);
    }
    assertTrue(server.isAlive(), "server died:\n" + log());
    String log = log();
    assertFalse(log.contains("OutOfMemoryError"), "the server ran out of memory:\n" + log);
    // 600 times 8 bytes is far within the receive budget: no attacker had to be shed for it.
    for (int i = 0; i < ATTACKERS; i += 60) {
      RawWebSocketClient attacker = attackers.get(i);
      attacker.setReadTimeout(Duration.ofMillis(10));
      assertThrows(SocketTimeoutException.class, attacker::readFrame, "attacker " + i);
    }
  }

  @Test
  void beyondTheReceiveBudgetTheConnectionThatWouldExceedItIsClosedWith1009() throws Exception {
    // 200 stalled senders of 64 KiB each (12.8 MB) against a 2 MB budget.
    long budget = 2_000_000;
    int port = startServer(Long.toString(budget));
    for (int i = 0; i < 200; i++) {
      attack(port, i, 64 * 1024);
    }
    assertAFreshClientIsEchoedText(port);
    int shed = 0;
    for (RawWebSocketClient attacker : attackers) {
      attacker.setReadTimeout(Duration.ofMillis(10));
      try {
        WsFrame close = attacker.readFrame();
        assertEquals(1009, close.closeCode(), close.toString());
        assertEquals(
            "server receive budget of " + budget + " bytes exhausted", close.closeReason());
        shed++;
      } catch (SocketTimeoutException stillWaiting) {
        // Within the budget: the server waits for the rest of its frame.
      } catch (IOException reset) {
        // Closed with its bytes unread, the reset can overtake the close frame.
        shed++;
      }
    }
    assertTrue(shed >= 100, "only " + shed + " of 200 attackers were shed");
    assertAFreshClientIsEchoedText(port);
    assertTrue(server.isAlive(), "server died:\n" + log());
  }

  /** Attacker {@code i} opens, sends a header declaring a huge frame and {@code sent} bytes. */
  private void attack(int port, int i, int sent) {
    try {
      RawWebSocketClient attacker = RawWebSocketClient.open(port, "/attacker/" + i);
      attackers.add(attacker);
      attacker.write(stalledFrameStart(sent));
    } catch (IOException e) {
      fail(
          "attacker "
              + i
              + " failed ("
              + e
              + "); server alive: "
              + server.isAlive()
              + "; its output:\n"
              + log());
    }
  }

  /** Starts the echo server in its own JVM, with {@code args}, and returns its port. */
  private int startServer(String... args) throws IOException {
    output = Files.createTempFile("ixws-stalled-senders", ".log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    server =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(
                            java.toString(),
                            "-Xmx96m",
                            "-XX:+ExitOnOutOfMemoryError",
                            "-cp",
                            System.getProperty("java.class.path"),
                            StalledSenderEchoServer.class.getName()),
                        Stream.of(args))
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    Await.until(
        "the server to print its port (or exit)",
        Duration.ofSeconds(30),
        () -> LISTENING.matcher(log()).find() || !server.isAlive());
    Matcher listening = LISTENING.matcher(log());
    assertTrue(listening.find(), "the server did not start:\n" + log());
    return Integer.parseInt(listening.group(1));
  }

  /**
   * A masked binary frame's header declaring {@link #DECLARED_LENGTH} bytes, then the first {@code
   * sent} of them.
   */
  private static byte[] stalledFrameStart(int sent) {
    ByteBuffer frame = ByteBuffer.allocate(2 + 8 + 4 + sent);
    frame.put((byte) 0x82).put((byte) (0x80 | 127)).putLong(DECLARED_LENGTH);
    frame.putInt(0x12345678);
    frame.put(new byte[sent]);
    return frame.array();
  }

  /**
   * A new client's text message is echoed: one that arrives within one read is never charged to the
   * budget, so it is served even while the budget is spent.
   */
  private static void assertAFreshClientIsEchoedText(int port) throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/fresh")) {
      client.sendText("still served");
      assertEquals("still served", client.readFrame().text());
    }
  }

  /** A new client connects, sends a text and a 100 KB binary message, and gets both back. */
  private void assertAFreshClientIsEchoed(int port, int round) throws IOException {
    try (RawWebSocketClient client = RawWebSocketClient.open(port, "/fresh/" + round)) {
      client.sendText("hello " + round);
      WsFrame text = client.readFrame();
      assertEquals("hello " + round, text.text(), "text echo in round " + round);
      byte[] payload = new byte[100_000];
      new Random(round).nextBytes(payload);
      client.writeFrame(WsFrame.binary(payload, true));
      WsFrame binary = client.readFrame();
      assertEquals(WsFrame.OP_BINARY, binary.opcode());
      assertArrayEquals(payload, binary.payload(), "binary echo in round " + round);
    }
  }

  private String log() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read the server's output: " + e + ")";
    }
  }
}
