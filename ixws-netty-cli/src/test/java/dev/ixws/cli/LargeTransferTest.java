package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB file through {@code transfer}: the sender runs in a JVM of its own with a 48 MB heap (so
 * it cannot hold the file), the hash is checked end to end, and the sender's progress arrives as
 * plain periodic lines since its stdout is not a terminal.
 */
@Timeout(240)
class LargeTransferTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final long SIZE = 200L * 1024 * 1024;

  @TempDir Path temp;

  @Test
  void twoHundredMegabytesArriveWholeFromASenderWithA48MegabyteHeap() throws Exception {
    Path in = Files.createDirectory(temp.resolve("in"));
    Path out = Files.createDirectory(temp.resolve("out"));
    Path file = in.resolve("big.bin");
    String sha256 = writeRandomFile(file);

    CommandRun relay = CommandRun.start("transfer", "--port", "0", "-q");
    CommandRun receive = null;
    Process sender = null;
    try {
      Matcher listening = LISTENING.matcher(relay.nextOut());
      assertTrue(listening.matches());
      String url = "ws://127.0.0.1:" + listening.group(1) + "/";
      receive = CommandRun.start("receive", "-x", url, "--output-dir", out.toString());
      assertEquals("Waiting for a file on " + url, receive.nextOut());

      Path senderOutput = temp.resolve("send.out");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      sender =
          new ProcessBuilder(
                  java.toString(),
                  "-Xmx48m",
                  "-XX:+ExitOnOutOfMemoryError",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Ixws.class.getName(),
                  "send",
                  "-x",
                  url,
                  file.toString())
              .redirectErrorStream(true)
              .redirectOutput(senderOutput.toFile())
              .start();
      assertTrue(sender.waitFor(200, TimeUnit.SECONDS), "the sender did not finish");
      String sent = Files.readString(senderOutput, StandardCharsets.UTF_8);
      assertEquals(0, sender.exitValue(), sent);
      assertEquals(Ixws.EXIT_OK, receive.awaitExit(Duration.ofSeconds(30)), receive.err.text());

      List<String> lines = sent.lines().toList();
      assertEquals("Sending big.bin (" + SIZE + " bytes) to " + url, lines.get(0));
      assertEquals(
          "Sent big.bin: " + SIZE + " bytes, sha256 " + sha256 + " confirmed",
          lines.get(lines.size() - 1));
      // Not a terminal: each progress update is a line of its own, with the rate and ETA.
      assertTrue(
          lines.stream()
              .anyMatch(
                  line ->
                      line.matches(
                          "Sent \\d+ of "
                              + SIZE
                              + " bytes \\(\\d+%\\), \\d+\\.\\d MB/s, ETA \\d+ s")),
          sent);
      assertEquals("Receiving big.bin (" + SIZE + " bytes)", receive.nextOut());
      String received = receive.out.nextStartingWith("Received big.bin: ");
      assertTrue(received.contains(" sha256 " + sha256 + " verified"), received);
      assertEquals(-1, Files.mismatch(file, out.resolve("big.bin")));
      receive.out.skipRemaining();
      receive = null;
    } finally {
      if (sender != null && sender.isAlive()) {
        sender.destroyForcibly();
      }
      if (receive != null) {
        receive.interrupt();
        receive.awaitExit();
        receive.out.skipRemaining();
      }
      relay.interrupt();
      relay.awaitExit();
    }
  }

  /** Writes {@link #SIZE} random (incompressible) bytes; returns their SHA-256 in hex. */
  private static String writeRandomFile(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    Random random = new Random(200);
    byte[] chunk = new byte[1024 * 1024];
    try (OutputStream stream = Files.newOutputStream(file)) {
      for (long written = 0; written < SIZE; written += chunk.length) {
        random.nextBytes(chunk);
        digest.update(chunk);
        stream.write(chunk);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
