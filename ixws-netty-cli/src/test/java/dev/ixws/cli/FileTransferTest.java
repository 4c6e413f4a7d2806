package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.testkit.Await;
import dev.ixws.testkit.EventRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class FileTransferTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  /**
   * How a side sees the relay's stop: its 1001, or 1006 when the side's own close frame sat behind
   * megabytes of chunks the stopping relay no longer read within its close timeout.
   */
  private static final String CLOSED_BY_STOP =
      "code (1001 reason \"Going away\"|1006 reason \"Abnormal closure\")";

  @TempDir Path temp;
  private Path in;
  private Path out;
  private CommandRun relay;
  private String url;
  private WebSocket rogue;

  @BeforeEach
  void startRelay() throws IOException {
    in = Files.createDirectory(temp.resolve("in"));
    out = Files.createDirectory(temp.resolve("out"));
    relay = CommandRun.start("transfer", "--port", "0", "-q");
    Matcher listening = LISTENING.matcher(relay.out.next());
    assertTrue(listening.matches());
    url = "ws://127.0.0.1:" + listening.group(1) + "/";
  }

  @AfterEach
  void stopEverything() {
    if (rogue != null) {
      rogue.stop();
    }
    if (relay != null) {
      relay.interrupt();
      relay.awaitExit();
    }
  }

  @Test
  void aFileGoesThroughTheRelayInChunksAndArrivesWholeUnderItsName() throws IOException {
    Path file = randomFile(in.resolve("data.bin"), 12 * 1024 * 1024 + 12345);
    // 12 MB, more than the sender's 8 MB window, to a slow receiver: the window, not the relay's
    // memory, absorbs the difference.
    CommandRun receive =
        CommandRun.start("receive", url, "--output-dir", out.toString(), "--delay", "2");
    assertEquals("Waiting for a file on " + url, receive.nextOut());

    CommandRun send = CommandRun.start("send", url, file.toString());

    // In-process with the leak detector at paranoid, on a shared machine: a generous bound.
    assertEquals(Ixws.EXIT_OK, receive.awaitExit(Duration.ofSeconds(60)), receive.err.text());
    assertEquals(Ixws.EXIT_OK, send.awaitExit(Duration.ofSeconds(10)), send.err.text());
    assertEquals("Receiving data.bin (12595257 bytes)", receive.nextOut());
    String received = receive.out.nextStartingWith("Received data.bin: ");
    assertTrue(
        received.matches(
            "Received data\\.bin: 12595257 bytes, sha256 [0-9a-f]{64} verified, written to .*"),
        received);
    assertEquals("Sending data.bin (12595257 bytes) to " + url, send.nextOut());
    String sent = send.out.nextStartingWith("Sent data.bin: ");
    assertTrue(
        sent.matches("Sent data\\.bin: 12595257 bytes, sha256 [0-9a-f]{64} confirmed"), sent);
    assertEquals(received.split(" ")[5], sent.split(" ")[5]);

    assertEquals(-1, Files.mismatch(file, out.resolve("data.bin")));
    assertEquals(
        PosixFilePermissions.fromString("rw-r--r--"),
        Files.getPosixFilePermissions(out.resolve("data.bin")));
    assertEquals(List.of(out.resolve("data.bin")), list(out));
    receive.out.skipRemaining();
    send.out.skipRemaining();
    receive.err.assertNoMoreLines();
    send.err.assertNoMoreLines();
    // No client was too slow for the relay.
    relay.out.assertNoMoreLines();
  }

  @Test
  void fileNamesThatLeaveTheOutputDirectoryAreRefused() throws IOException {
    CommandRun receive = CommandRun.start("receive", url, "--output-dir", out.toString());
    assertEquals("Waiting for a file on " + url, receive.nextOut());
    EventRecorder<WebSocketMessage> rogueEvents = connectRogue();

    for (String name : List.of("../evil.txt", "..", "sub/evil.txt", "/etc/evil", "a\\b", "")) {
      rogue.sendText(FileTransfer.file("id-" + name, name, 3));
      Map<String, Object> answer = nextControl(rogueEvents);
      assertEquals("error", answer.get("kind"), name);
      assertEquals("id-" + name, answer.get("id"));
      assertTrue(((String) answer.get("message")).startsWith("refused file name: "), name);
      assertTrue(receive.err.next().startsWith("Error: refused file name '" + name + "': "));
    }

    receive.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, receive.awaitExit());
    assertEquals(List.of(), list(out));
    assertEquals(List.of(in, out), list(temp));
  }

  @Test
  void aHashMismatchLeavesNoFile() throws IOException {
    CommandRun receive = CommandRun.start("receive", url, "--output-dir", out.toString());
    assertEquals("Waiting for a file on " + url, receive.nextOut());
    EventRecorder<WebSocketMessage> rogueEvents = connectRogue();

    rogue.sendText(FileTransfer.file("x", "forged.bin", 4));
    assertEquals("ready", nextControl(rogueEvents).get("kind"));
    assertEquals("Receiving forged.bin (4 bytes)", receive.nextOut());
    rogue.sendBinary(new byte[] {1, 2, 3, 4});
    assertEquals("progress", nextControl(rogueEvents).get("kind"));
    rogue.sendText(FileTransfer.end("x", new byte[32]));
    Map<String, Object> answer = nextControl(rogueEvents);
    assertEquals("error", answer.get("kind"));
    assertTrue(((String) answer.get("message")).startsWith("SHA-256 mismatch: "));

    assertEquals(Ixws.EXIT_FAILURE, receive.awaitExit());
    String error = receive.err.next();
    assertTrue(
        error.startsWith("Error: SHA-256 mismatch: ")
            && error.endsWith(" after 4 of 4 bytes of forged.bin; the partial file was removed"),
        error);
    assertEquals(List.of(), list(out));
    receive.out.skipRemaining();
  }

  @Test
  void aConnectionLostMidFileFailsBothSidesAndLeavesNoPartialFile() throws IOException {
    Path file = randomFile(in.resolve("big.bin"), 16 * 1024 * 1024);
    // 50 ms per 64 KB chunk: the transfer would take 13 s; the relay stops in the middle.
    CommandRun receive =
        CommandRun.start("receive", url, "--output-dir", out.toString(), "--delay", "50");
    assertEquals("Waiting for a file on " + url, receive.nextOut());
    CommandRun send = CommandRun.start("send", url, file.toString());
    assertEquals("Receiving big.bin (16777216 bytes)", receive.nextOut());
    // The receiver's first progress line, after a second of the transfer.
    receive.out.nextStartingWith("Received ");

    relay.interrupt();
    assertEquals(Ixws.EXIT_INTERRUPTED, relay.awaitExit());
    relay = null;

    assertEquals(Ixws.EXIT_FAILURE, receive.awaitExit());
    assertEquals(Ixws.EXIT_FAILURE, send.awaitExit());
    String receiveError = receive.err.next();
    assertTrue(
        receiveError.matches(
            "Error: connection closed: "
                + CLOSED_BY_STOP
                + " after \\d+ of 16777216 bytes of big\\.bin; the partial file was removed"),
        receiveError);
    String sendError = send.err.next();
    assertTrue(
        sendError.matches(
            "Error: connection closed: " + CLOSED_BY_STOP + " after \\d+ of 16777216 bytes"),
        sendError);
    assertEquals(List.of(), list(out));
    receive.out.skipRemaining();
    send.out.skipRemaining();
  }

  @Test
  void aReceiverStoppedMidFileLeavesNoPartialFileAndTheSenderFailsWithTheReason()
      throws IOException {
    Path file = randomFile(in.resolve("big.bin"), 16 * 1024 * 1024);
    CommandRun receive =
        CommandRun.start("receive", url, "--output-dir", out.toString(), "--delay", "50");
    assertEquals("Waiting for a file on " + url, receive.nextOut());
    CommandRun send = CommandRun.start("send", url, file.toString());
    assertEquals("Receiving big.bin (16777216 bytes)", receive.nextOut());
    receive.out.nextStartingWith("Received ");

    // As Ctrl-C stops the real tool.
    receive.interrupt();

    assertEquals(Ixws.EXIT_INTERRUPTED, receive.awaitExit());
    String receiveError = receive.err.next();
    assertTrue(
        receiveError.matches(
            "Error: the receiver was interrupted after \\d+ of 16777216 bytes of big\\.bin; the"
                + " partial file was removed"),
        receiveError);
    assertEquals(List.of(), list(out));
    assertEquals(Ixws.EXIT_FAILURE, send.awaitExit(Duration.ofSeconds(20)));
    String sendError = send.err.next();
    assertTrue(
        sendError.matches(
            "Error: the receiver refused: the receiver was interrupted after \\d+ of 16777216"
                + " bytes"),
        sendError);
    receive.out.skipRemaining();
    send.out.skipRemaining();
  }

  @Test
  void aReceiverProcessStoppedByASignalMidFileRemovesItsPartialFile() throws Exception {
    Path file = randomFile(in.resolve("big.bin"), 16 * 1024 * 1024);
    Path output = temp.resolve("receive.out");
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process receiver =
        new ProcessBuilder(
                javaBin.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Ixws.class.getName(),
                "receive",
                url,
                "--output-dir",
                out.toString(),
                "--delay",
                "50")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      Await.until(
          "the receiver to connect",
          Duration.ofSeconds(30),
          () -> read(output).contains("Waiting for a file"));
      CommandRun send = CommandRun.start("send", url, file.toString());
      Await.until("the partial file", Duration.ofSeconds(30), () -> !listQuietly(out).isEmpty());
      // SIGTERM runs the shutdown hooks, as Ctrl-C's SIGINT does.
      receiver.destroy();
      assertTrue(receiver.waitFor(30, TimeUnit.SECONDS));
      assertEquals(List.of(), list(out), read(output));
      assertTrue(read(output).contains("Error: the receiver was interrupted after "), read(output));
      assertEquals(Ixws.EXIT_FAILURE, send.awaitExit(Duration.ofSeconds(30)));
      String sendError = send.err.next();
      assertTrue(
          sendError.startsWith("Error: the receiver refused: the receiver was interrupted after "),
          sendError);
      send.out.skipRemaining();
    } finally {
      receiver.destroyForcibly();
    }
  }

  private static List<Path> listQuietly(Path dir) {
    try {
      return list(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String read(Path path) {
    try {
      return Files.exists(path) ? Files.readString(path) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aSenderThatGoesSilentMidFileIsGivenUpAndItsPartialFileRemoved() throws IOException {
    CommandRun receive =
        CommandRun.start("receive", url, "--output-dir", out.toString(), "--idle_timeout", "1");
    assertEquals("Waiting for a file on " + url, receive.nextOut());
    EventRecorder<WebSocketMessage> rogueEvents = connectRogue();

    rogue.sendText(FileTransfer.file("s", "silent.bin", 100));
    assertEquals("ready", nextControl(rogueEvents).get("kind"));
    rogue.sendBinary(new byte[10]);
    assertEquals("Receiving silent.bin (100 bytes)", receive.nextOut());
    // The temporary file exists while the transfer is on, under a hidden name, never the final one.
    List<Path> during = list(out);
    assertEquals(1, during.size());
    assertTrue(during.get(0).getFileName().toString().matches("\\.silent\\.bin\\..*\\.part"));

    assertEquals(Ixws.EXIT_FAILURE, receive.awaitExit());
    assertEquals(
        "Error: no data from the sender for 1 s after 10 of 100 bytes of silent.bin; the partial"
            + " file was removed",
        receive.err.next());
    Map<String, Object> answer = nextControl(rogueEvents);
    assertEquals("error", answer.get("kind"));
    assertEquals("no data from the sender for 1 s", answer.get("message"));
    assertEquals(List.of(), list(out));
    receive.out.skipRemaining();
  }

  @Test
  void aMissingFileFailsAtOnce() {
    CommandRun send = CommandRun.runToEnd("send", url, in.resolve("nope").toString());
    assertEquals(Ixws.EXIT_FAILURE, send.awaitExit());
    assertEquals(
        "Error: cannot read " + in.resolve("nope") + ": not a readable file", send.err.next());
  }

  private EventRecorder<WebSocketMessage> connectRogue() {
    EventRecorder<WebSocketMessage> events = new EventRecorder<>();
    rogue = new WebSocket();
    rogue.setUrl(url);
    rogue.disableAutomaticReconnection();
    rogue.setOnMessageCallback(events::accept);
    rogue.start();
    assertEquals(WebSocketMessageType.OPEN, events.next().type());
    return events;
  }

  private static Map<String, Object> nextControl(EventRecorder<WebSocketMessage> events) {
    WebSocketMessage msg = events.next();
    assertEquals(WebSocketMessageType.MESSAGE, msg.type(), msg.toString());
    return FileTransfer.parse(msg.str()).orElseThrow();
  }

  private static Path randomFile(Path path, int size) throws IOException {
    Random random = new Random(size);
    byte[] block = new byte[1024 * 1024];
    try (OutputStream stream = Files.newOutputStream(path)) {
      for (int left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        stream.write(block, 0, Math.min(left, block.length));
      }
    }
    return path;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
