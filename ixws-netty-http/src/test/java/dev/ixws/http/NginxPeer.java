package dev.ixws.http;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's nginx as a static file server with gzip, redirects of each kind and keep-alive, run from
 * a private prefix in a temporary directory and stopped by its pid. Its access log records each
 * request's connection number ({@code $connection}), so tests can count connections. Fails the test
 * when nginx is missing (install it with {@code .ci/install-peers}).
 */
final class NginxPeer implements AutoCloseable {

  static final Path EXECUTABLE = Path.of("/usr/sbin/nginx");

  private final Path prefix;
  private final Process process;
  private final int port;
  private final boolean tls;

  private NginxPeer(Path prefix, Process process, int port, boolean tls) {
    this.prefix = prefix;
    this.process = process;
    this.port = port;
    this.tls = tls;
  }

  /** Starts nginx serving {@code www} (files written by the caller into {@link #www()}). */
  static NginxPeer start() throws IOException, InterruptedException {
    return start(0, null, null);
  }

  /**
   * Starts nginx as above and, when {@code upstreamPort} is not 0, as a reverse proxy in front of
   * 127.0.0.1:{@code upstreamPort}: {@code /app/...} with keep-alive upstream connections, {@code
   * /ws} with WebSocket upgrades passed through.
   */
  static NginxPeer start(int upstreamPort) throws IOException, InterruptedException {
    return start(upstreamPort, null, null);
  }

  /**
   * Starts nginx serving {@code www} over TLS only, with the certificate chain {@code chainPem} and
   * its key {@code keyPem} (PEM text); {@link #url} then gives https URLs.
   */
  static NginxPeer startTls(String chainPem, String keyPem)
      throws IOException, InterruptedException {
    return start(0, chainPem, keyPem);
  }

  private static NginxPeer start(int upstreamPort, String chainPem, String keyPem)
      throws IOException, InterruptedException {
    boolean tls = chainPem != null;
    if (!Files.isExecutable(EXECUTABLE)) {
      fail("nginx is missing (" + EXECUTABLE + "): run `sudo .ci/install-peers`");
    }
    Path prefix = Files.createTempDirectory("ixws-http-nginx");
    // The workers run as another user when nginx starts as root: they must read the prefix.
    Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(prefix.resolve("www"));
    if (tls) {
      Files.writeString(prefix.resolve("server.pem"), chainPem);
      Files.writeString(prefix.resolve("server.key"), keyPem);
      // nginx's workers may run as another user: they need not read the key (the master does).
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Files.writeString(prefix.resolve("nginx.conf"), config(prefix, port, upstreamPort, tls));
      Process process =
          new ProcessBuilder(
                  EXECUTABLE.toString(),
                  "-p",
                  prefix.toString(),
                  "-c",
                  prefix.resolve("nginx.conf").toString(),
                  "-e",
                  prefix.resolve("error.log").toString(),
                  "-g",
                  "daemon off; pid " + prefix.resolve("nginx.pid") + ";")
              .redirectErrorStream(true)
              .redirectOutput(prefix.resolve("nginx.out").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (process.isAlive() && System.nanoTime() < deadline) {
        if (Files.exists(prefix.resolve("nginx.pid")) && accepts(port)) {
          return new NginxPeer(prefix, process, port, tls);
        }
        process.waitFor(50, TimeUnit.MILLISECONDS);
      }
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    fail(
        "nginx did not start: "
            + read(prefix.resolve("error.log"))
            + read(prefix.resolve("nginx.out")));
    throw new AssertionError("unreachable");
  }

  private static String config(Path prefix, int port, int upstreamPort, boolean tls) {
    String p = prefix.toString();
    String upstream =
        upstreamPort == 0
            ? ""
            : String.join(
                "\n",
                "  upstream app { server 127.0.0.1:" + upstreamPort + "; keepalive 4; }",
                "  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }",
                "");
    String proxied =
        upstreamPort == 0
            ? ""
            : String.join(
                "\n",
                "    location /app/ { proxy_pass http://app/; proxy_http_version 1.1;",
                "      proxy_set_header Connection \"\"; }",
                "    location /ws { proxy_pass http://app; proxy_http_version 1.1;",
                "      proxy_set_header Upgrade $http_upgrade;",
                "      proxy_set_header Connection $connection_upgrade; }",
                "");
    return String.join(
        "\n",
        "worker_processes 1;",
        "events { worker_connections 256; }",
        "http {",
        "  log_format conn '$connection $connection_requests $request_method $request_uri $status';",
        "  access_log " + p + "/access.log conn;",
        "  client_body_temp_path " + p + "/client_body;",
        "  proxy_temp_path " + p + "/proxy;",
        "  fastcgi_temp_path " + p + "/fastcgi;",
        "  uwsgi_temp_path " + p + "/uwsgi;",
        "  scgi_temp_path " + p + "/scgi;",
        "  default_type application/octet-stream;",
        "  types { text/plain txt; application/json json; }",
        "  keepalive_timeout 30s;",
        "  keepalive_requests 1000;",
        "  gzip on;",
        "  gzip_min_length 1;",
        "  gzip_types text/plain application/json;",
        upstream,
        "  server {",
        "    listen 127.0.0.1:" + port + (tls ? " ssl;" : ";"),
        tls ? "    ssl_certificate " + p + "/server.pem;" : "",
        tls ? "    ssl_certificate_key " + p + "/server.key;" : "",
        "    root " + p + "/www;",
        "    location = /moved { return 301 /hello.txt; }",
        "    location = /absolute { return 302 http://127.0.0.1:" + port + "/hello.txt; }",
        "    location = /see-other { return 303 /method; }",
        "    location = /temporary { return 307 /method; }",
        "    location = /permanent { return 308 /method; }",
        "    location = /loop { return 302 /loop; }",
        "    location = /method { default_type text/plain; return 200 \"$request_method\"; }",
        proxied,
        "  }",
        "}",
        "");
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The directory nginx serves. */
  Path www() {
    return prefix.resolve("www");
  }

  String url(String path) {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port + path;
  }

  /** The URL of {@code path} with the scheme the port does not speak (http for TLS, https else). */
  String otherSchemeUrl(String path) {
    return (tls ? "http" : "https") + "://127.0.0.1:" + port + path;
  }

  /** The access log's lines: {@code connection requests-on-it method uri status}. */
  List<String> accessLog() {
    String log = read(prefix.resolve("access.log"));
    return log.isEmpty() ? List.of() : List.of(log.split("\n"));
  }

  @Override
  public void close() throws IOException {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    workers.forEach(ProcessHandle::destroyForcibly);
    try (Stream<Path> files = Files.walk(prefix)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}
