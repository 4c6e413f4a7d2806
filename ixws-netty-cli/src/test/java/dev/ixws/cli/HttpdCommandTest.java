package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.TestCertificates;
import dev.ixws.testkit.TestCertificates.Authority;
import dev.ixws.testkit.TestCertificates.Issued;
import dev.ixws.testkit.TestCertificates.KeyFormat;
import dev.ixws.testkit.TestCertificates.KeyType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ixws httpd} against curl (a real peer): files, traversal refused, redirect mode, https
 * with a key encrypted by openssl.
 */
class HttpdCommandTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");
  private CommandRun command;

  @AfterEach
  void stop() {
    if (command != null) {
      command.interrupt();
      command.awaitExit();
    }
  }

  private int start(String... args) {
    command = CommandRun.start(args);
    String line = command.out.next();
    Matcher matcher = LISTENING.matcher(line);
    assertTrue(matcher.matches(), line);
    return Integer.parseInt(matcher.group(1));
  }

  /** curl's output: {@code -w} writes the status after the body. */
  private static String curl(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "--max-time", "10"));
    command.addAll(List.of(args));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(curl.waitFor(15, TimeUnit.SECONDS), "curl did not finish");
    return out;
  }

  @Test
  void servesTheDirectoryAndRefusesTraversal(@TempDir Path root, @TempDir Path outside)
      throws Exception {
    Files.writeString(root.resolve("hello.txt"), "hello from httpd\n");
    Files.writeString(outside.resolve("secret.txt"), "secret\n");
    int port = start("httpd", "--port", "0", "--directory", root.toString());
    String base = "http://127.0.0.1:" + port;

    assertEquals("hello from httpd\n200", curl("-w", "%{http_code}", base + "/hello.txt"));
    String traversal =
        curl(
            "--path-as-is",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            base + "/../" + outside.getFileName() + "/secret.txt");
    assertEquals("404", traversal);
    assertEquals(
        "404",
        curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + "/%2e%2e/etc/passwd"));
  }

  @Test
  void redirectModeAnswersEveryRequestWithTheLocation() throws Exception {
    int port = start("httpd", "--port", "0", "-L", "--redirect-url", "http://127.0.0.1:9/next");
    String headers = curl("-D", "-", "-o", "/dev/null", "http://127.0.0.1:" + port + "/any");
    assertTrue(headers.startsWith("HTTP/1.1 30"), headers);
    assertTrue(headers.contains("http://127.0.0.1:9/next"), headers);
  }

  @Test
  void aMissingDirectoryIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("httpd", "--port", "0", "--directory", "/no/such/dir");
    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertTrue(run.err.next().contains("is not a directory"));
    command = null;
  }

  @Test
  void servesHttpsWithAnEncryptedKeyAndItsPassword(@TempDir Path root, @TempDir Path certs)
      throws Exception {
    Files.writeString(root.resolve("hello.txt"), "hello over TLS\n");
    Authority ca = TestCertificates.authority("httpd CA", KeyType.RSA);
    Issued server = ca.server(KeyType.RSA, "localhost", "127.0.0.1");
    Path key = encryptedKey(server, certs);
    int port =
        start(
            "httpd",
            "--port",
            "0",
            "--directory",
            root.toString(),
            "--tls",
            "--cert-file",
            server.writeChain(certs, "server.pem").toString(),
            "--key-file",
            key.toString(),
            "--key-password",
            "s3cret");
    String caFile = ca.writeCertificate(certs, "ca.pem").toString();
    assertEquals(
        "hello over TLS\n200",
        curl("--cacert", caFile, "-w", "%{http_code}", "https://127.0.0.1:" + port + "/hello.txt"));
  }

  @Test
  void anEncryptedKeyWithoutItsPasswordIsRefusedSayingSo(@TempDir Path root, @TempDir Path certs)
      throws Exception {
    Authority ca = TestCertificates.authority("httpd CA", KeyType.EC);
    Issued server = ca.server(KeyType.EC, "localhost");
    Path key = encryptedKey(server, certs);
    CommandRun run =
        CommandRun.runToEnd(
            "httpd",
            "--port",
            "0",
            "--directory",
            root.toString(),
            "--tls",
            "--cert-file",
            server.writeChain(certs, "server.pem").toString(),
            "--key-file",
            key.toString());
    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    String error = run.err.next();
    assertTrue(error.contains("keyPassword") || error.contains("password"), error);
    command = null;
  }

  /**
   * {@code identity}'s key encrypted by openssl (a real peer) with "s3cret": PKCS#8, OpenSSL 3's
   * default.
   */
  private static Path encryptedKey(Issued identity, Path dir) throws Exception {
    Path plainKey = identity.writeKey(dir, "plain.key", KeyFormat.PKCS8);
    Path key = dir.resolve("encrypted.key");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "pkcs8",
                "-topk8",
                "-in",
                plainKey.toString(),
                "-out",
                key.toString(),
                "-passout",
                "pass:s3cret")
            .redirectErrorStream(true)
            .start();
    String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(openssl.waitFor(15, TimeUnit.SECONDS) && openssl.exitValue() == 0, out);
    assertTrue(Files.readString(key).contains("ENCRYPTED PRIVATE KEY"), "not encrypted");
    return key;
  }
}
