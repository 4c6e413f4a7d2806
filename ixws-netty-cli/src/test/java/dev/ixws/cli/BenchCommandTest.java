package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.WebSocketMessageType;
import dev.ixws.server.WebSocketServer;
import dev.ixws.server.testing.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ixws bench} in-process against an echo server on the library. Timings never asserted. */
@Timeout(30)
class BenchCommandTest {

  private WebSocketServer server;
  private final Set<String> remoteIps = ConcurrentHashMap.newKeySet();
  private final Set<Boolean> binaryFlags = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void startEchoServer() {
    server =
        TestServers.serving(
                (webSocket, state) -> {
                  remoteIps.add(state.getRemoteIp());
                  webSocket.setOnMessageCallback(
                      msg -> {
                        if (msg.type() == WebSocketMessageType.MESSAGE) {
                          binaryFlags.add(msg.binary());
                          webSocket.send(msg.str(), msg.binary());
                        }
                      });
                })
            .start();
  }

  @AfterEach
  void stopServer() {
    server.stop();
  }

  private String url() {
    return "ws://127.0.0.1:" + server.getPort() + "/";
  }

  @Test
  void echoLoadReportsMessagesOrderedLatenciesAndNoErrorsInJson() {
    CommandRun run =
        CommandRun.runToEnd(
            "bench",
            "--url",
            url(),
            "--connections",
            "4",
            "--in-flight",
            "2",
            "--warmup",
            "0",
            "--duration",
            "1",
            "--json",
            "-",
            "--quiet");

    assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
    String json = run.out.takeAll();
    assertTrue(json.startsWith("{") && json.endsWith("}"), json);
    assertEquals("ws://127.0.0.1:" + server.getPort() + "/", string(json, "url"));
    assertEquals(4, number(json, "connections"));
    assertEquals(4, number(json, "connected"));
    assertEquals(2, number(json, "inFlight"));
    assertEquals(64, number(json, "size"));
    assertEquals("true", raw(json, "binary"));
    assertEquals(1, number(json, "durationSecs"));
    assertEquals(0, number(json, "warmupSecs"));
    assertTrue(number(json, "messages") > 0, json);
    assertTrue(number(json, "messagesPerSec") > 0, json);
    assertTrue(number(json, "mbPerSec") > 0, json);
    double p50 = number(json, "p50");
    double p90 = number(json, "p90");
    double p99 = number(json, "p99");
    double p999 = number(json, "p999");
    double max = number(json, "max");
    assertTrue(number(json, "mean") > 0, json);
    assertTrue(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= max, json);
    assertTrue(number(json, "connectPerSec") > 0, json);
    assertTrue(number(json, "connectMillis") > 0, json);
    assertEquals(0, number(json, "errors"), json);
    assertTrue(number(json, "threads") > 0, json);
    assertTrue(number(json, "rssKb") > 0, json);
    assertTrue(number(json, "cpuPercent") >= 0, json);
    assertEquals(Set.of(true), binaryFlags);
    // With the JSON on stdout, the table goes to stderr; --quiet drops the progress line only.
    String err = run.err.takeAll();
    assertTrue(err.contains("latency (us)"), err);
    assertTrue(!err.contains("msg/s  p50"), err);
  }

  @Test
  void textLoadSendsTextAndReadsTheTimestampBack() {
    CommandRun run =
        CommandRun.runToEnd(
            "bench",
            "--url",
            url(),
            "--connections",
            "2",
            "--in-flight",
            "2",
            "--size",
            "32",
            "--text",
            "--warmup",
            "0",
            "--duration",
            "1",
            "--json",
            "-",
            "--quiet");

    assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
    String json = run.out.takeAll();
    assertEquals("false", raw(json, "binary"));
    assertTrue(number(json, "messages") > 0, json);
    assertEquals(0, number(json, "errors"), json);
    // A timestamp read back wrong would give absurd round trips; 10 s is far above any real one.
    assertTrue(number(json, "max") < 10_000_000, json);
    assertEquals(Set.of(false), binaryFlags);
    String table = run.err.takeAll();
    assertTrue(table.contains("2 connections x 2 in flight, 32-byte text messages"), table);
  }

  @Test
  void tableGoesToStdoutJsonToTheFileAndProgressToStderr(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("result.json");
    CommandRun run =
        CommandRun.runToEnd(
            "bench",
            "--url",
            url(),
            "--connections",
            "2",
            "--in-flight",
            "1",
            "--warmup",
            "1",
            "--duration",
            "1",
            "--json",
            file.toString());

    assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
    String table = run.out.takeAll();
    assertTrue(table.contains("messages "), table);
    assertTrue(table.contains("msg/s"), table);
    assertTrue(table.contains("p99.9"), table);
    assertTrue(table.contains("handshakes/s"), table);
    assertTrue(table.contains("errors        0"), table);
    String json = Files.readString(file, StandardCharsets.UTF_8).trim();
    assertTrue(number(json, "messages") > 0, json);
    // One progress line at the first second, still in the warm-up or just measuring.
    String progress = run.err.takeAll();
    assertTrue(
        progress.lines().anyMatch(line -> line.matches("\\[ *1\\.\\ds\\] .* msg/s .*")), progress);
  }

  @Test
  void connectionsAreSpreadOverTheSourceAddresses() {
    CommandRun run =
        CommandRun.runToEnd(
            "bench",
            "--url",
            url(),
            "--connections",
            "4",
            "--in-flight",
            "1",
            "--warmup",
            "0",
            "--duration",
            "1",
            "--source-addresses",
            "127.0.0.1,127.0.0.2",
            "--json",
            "-",
            "--quiet");

    assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
    String json = run.out.takeAll();
    assertEquals(0, number(json, "errors"), json);
    assertEquals(2, number(json, "sourceAddresses"), json);
    assertEquals(Set.of("127.0.0.1", "127.0.0.2"), remoteIps);
    String table = run.err.takeAll();
    assertTrue(table.contains(" from 127.0.0.1,127.0.0.2"), table);
  }

  @Test
  void connectRateOnlyOpensEveryConnectionAndReportsTheRate() {
    CommandRun run =
        CommandRun.runToEnd(
            "bench",
            "--url",
            url(),
            "--connections",
            "20",
            "--connect-rate-only",
            "--json",
            "-",
            "--quiet");

    assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
    String json = run.out.takeAll();
    assertEquals("true", raw(json, "connectRateOnly"));
    assertEquals(20, number(json, "connected"));
    assertTrue(number(json, "connectPerSec") > 0, json);
    assertEquals(0, number(json, "messages"), json);
    assertEquals(0, number(json, "errors"), json);
    assertTrue(number(json, "rssKb") > 0, json);
    assertTrue(binaryFlags.isEmpty(), "no message is sent in a connection storm");
    String table = run.err.takeAll();
    assertTrue(table.contains("connection storm: 20 connections"), table);
    assertTrue(table.contains("20 of 20 opened"), table);
  }

  @Test
  void nothingListeningFailsAtOnceWithTheReason() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      freePort = socket.getLocalPort();
    }
    CommandRun run =
        CommandRun.runToEnd("bench", "--url", "ws://127.0.0.1:" + freePort + "/", "--quiet");

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    String err = run.err.takeAll();
    assertTrue(
        err.startsWith("Error: cannot connect to ws://127.0.0.1:" + freePort + "/: Unable to"),
        err);
    assertEquals("", run.out.text());
  }

  @Test
  void invalidSettingsAreUsageErrors() {
    assertUsageError("--size must be at least 8", "--size", "4");
    assertUsageError("--size must be at least 16", "--text", "--size", "12");
    assertUsageError("--text and --binary exclude each other", "--text", "--binary");
    assertUsageError("--connections must be at least 1", "--connections", "0");
    assertUsageError("--duration must be at least 1 s", "--duration", "0");
  }

  @Test
  void invalidUrlIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("bench", "--url", "http://127.0.0.1:1/", "--quiet");

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    String err = run.err.takeAll();
    assertTrue(err.startsWith("Error: "), err);
  }

  private void assertUsageError(String message, String... options) {
    String[] args = new String[options.length + 3];
    args[0] = "bench";
    args[1] = "--url";
    args[2] = url();
    System.arraycopy(options, 0, args, 3, options.length);
    CommandRun run = CommandRun.runToEnd(args);
    assertEquals(Ixws.EXIT_USAGE, run.awaitExit(), run.err.text());
    String err = run.err.takeAll();
    assertTrue(err.startsWith("Error: " + message), err);
  }

  /** The raw text of a field's value (a number, true, false or null). */
  private static String raw(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":([^,}\"]+)").matcher(json);
    assertTrue(m.find(), "no field " + name + " in " + json);
    return m.group(1);
  }

  private static double number(String json, String name) {
    return Double.parseDouble(raw(json, name));
  }

  private static String string(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertTrue(m.find(), "no string field " + name + " in " + json);
    return m.group(1);
  }
}
