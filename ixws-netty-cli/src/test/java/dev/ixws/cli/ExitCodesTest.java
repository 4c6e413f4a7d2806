package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit codes scripts rely on, for every command that connects or listens: 0 on success (the
 * commands' own tests), {@link Ixws#EXIT_USAGE} for a bad URL, {@link Ixws#EXIT_FAILURE} for a
 * refused connection, a rejected handshake, a TLS error and a port in use, each with exactly one
 * line on stderr saying why.
 */
@Timeout(30)
class ExitCodesTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");

  /** A port nothing listens on. */
  private static int closedPort;

  /** An HTTP server (ixws httpd) that answers a WebSocket upgrade of /nope with 404. */
  private static CommandRun httpd;

  private static int httpdPort;
  private static Path sentFile;

  @BeforeAll
  static void startPeers() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    Path dir = Files.createTempDirectory("ixws-exit-codes");
    sentFile = Files.writeString(dir.resolve("file.txt"), "content");
    httpd = CommandRun.start("httpd", "--port", "0", "--directory", dir.toString());
    Matcher matcher = LISTENING.matcher(httpd.nextOut());
    assertTrue(matcher.matches());
    httpdPort = Integer.parseInt(matcher.group(1));
  }

  @AfterAll
  static void stopPeers() {
    httpd.interrupt();
    httpd.awaitExit();
    httpd.out.skipRemaining();
  }

  /** The client commands, each as a function of the URL it is given. */
  private static List<Client> clients() {
    return List.of(
        new Client("connect", url -> List.of("connect", "-d", url)),
        new Client("ping", url -> List.of("ping", url)),
        new Client("chat", url -> List.of("chat", url, "bob")),
        new Client("autoroute", url -> List.of("autoroute", url)),
        new Client("send", url -> List.of("send", url, sentFile.toString())),
        new Client("receive", url -> List.of("receive", url)),
        new Client("bench", url -> List.of("bench", "--url", url)),
        new Client("autobahn", url -> List.of("autobahn", "--url", url)));
  }

  private record Client(String name, java.util.function.Function<String, List<String>> args) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> failures() {
    List<Arguments> cases = new ArrayList<>();
    for (Client client : clients()) {
      cases.add(Arguments.of(client, "bad URL", "notaurl", Ixws.EXIT_USAGE));
      cases.add(
          Arguments.of(client, "refused", "ws://127.0.0.1:" + closedPort + "/", Ixws.EXIT_FAILURE));
      cases.add(
          Arguments.of(
              client,
              "rejected handshake",
              "ws://127.0.0.1:" + httpdPort + "/nope",
              Ixws.EXIT_FAILURE));
      cases.add(
          Arguments.of(
              client, "TLS error", "wss://127.0.0.1:" + httpdPort + "/", Ixws.EXIT_FAILURE));
    }
    Client curl = new Client("curl", url -> List.of("curl", url));
    cases.add(Arguments.of(curl, "bad URL", "notaurl", Ixws.EXIT_USAGE));
    cases.add(
        Arguments.of(curl, "refused", "http://127.0.0.1:" + closedPort + "/", Ixws.EXIT_FAILURE));
    cases.add(
        Arguments.of(curl, "TLS error", "https://127.0.0.1:" + httpdPort + "/", Ixws.EXIT_FAILURE));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("failures")
  void aClientFailureExitsNonZeroWithOneLineOnStderr(
      Client client, String what, String url, int exitCode) {
    CommandRun run = CommandRun.runToEnd(client.args().apply(url).toArray(String[]::new));

    assertEquals(exitCode, run.awaitExit(), run.err.text());
    List<String> errors = run.err.skipRemaining();
    assertEquals(1, errors.size(), String.join("\n", errors));
    String line = errors.get(0);
    assertTrue(line.startsWith("Error: ") || line.startsWith("ixws curl: "), line);
    switch (what) {
      case "refused" -> assertTrue(line.contains("refused"), line);
      case "rejected handshake" -> assertTrue(line.contains("404"), line);
      case "TLS error" -> assertTrue(line.contains("TLS"), line);
      default -> assertTrue(line.contains("notaurl"), line);
    }
    run.out.skipRemaining();
  }

  static Stream<List<String>> servers() {
    return Stream.of(
        List.of("echo-server"),
        List.of("broadcast-server"),
        List.of("push-server"),
        List.of("proxy-server", "--remote-url", "ws://127.0.0.1:1"),
        List.of("transfer"),
        List.of("httpd"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aServerOnAPortInUseExitsWith1AndOneLine(List<String> command) {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--port", "" + taken.getLocalPort()));
      CommandRun run = CommandRun.runToEnd(args.toArray(String[]::new));

      assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
      List<String> errors = run.err.skipRemaining();
      assertEquals(1, errors.size(), String.join("\n", errors));
      assertTrue(errors.get(0).startsWith("Error: Cannot listen on 127.0.0.1:"), errors.get(0));
      assertTrue(errors.get(0).contains("in use"), errors.get(0));
      run.out.assertNoMoreLines();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The servers with IX's TLS flags (the HTTP server has no TLS yet, so httpd has none). */
  static Stream<List<String>> tlsServers() {
    return servers().filter(command -> !command.get(0).equals("httpd"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tlsServers")
  void aServerWithAMissingCertificateFileExitsNonZeroWithOneLine(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.addAll(
        List.of(
            "--port", "0", "--tls", "--cert-file", "/no/such/cert.pem", "--key-file", "/no/key"));
    CommandRun run = CommandRun.runToEnd(args.toArray(String[]::new));

    assertTrue(run.awaitExit() != Ixws.EXIT_OK);
    List<String> errors = run.err.skipRemaining();
    assertEquals(1, errors.size(), String.join("\n", errors));
    assertTrue(errors.get(0).contains("/no/such/cert.pem"), errors.get(0));
    run.out.assertNoMoreLines();
  }
}
