package dev.ixws.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a WebSocket reverse proxy in front of a backend on 127.0.0.1, run from a
 * private prefix in a temporary directory (its own config, pid file and logs) and stopped by its
 * pid.
 *
 * <p>{@code /ws} and everything under it is proxied to the backend with the upgrade headers and
 * {@code X-Forwarded-For}; {@code proxy_read_timeout} is the given idle timeout. Not thread-safe.
 */
final class Nginx implements AutoCloseable {

  static final Path EXECUTABLE = Path.of("/usr/sbin/nginx");

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
  private static final int PORT_ATTEMPTS = 3;

  private final Path prefix;
  private final Process process;
  private final int port;

  private Nginx(Path prefix, Process process, int port) {
    this.prefix = prefix;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts nginx proxying {@code /ws} to {@code backendPort}, closing proxied connections idle for
   * {@code readTimeout}; fails the test if nginx is missing or does not start.
   */
  static Nginx start(int backendPort, Duration readTimeout) {
    return start(backendPort, readTimeout, null);
  }

  /**
   * As {@link #start(int, Duration)}, terminating TLS when {@code tlsDirectives} is not null: the
   * listening socket speaks TLS with those {@code ssl_*} directives ({@code ssl_certificate},
   * {@code ssl_certificate_key}, optionally {@code ssl_client_certificate} and {@code
   * ssl_verify_client}), and proxies plain HTTP to the backend.
   */
  static Nginx start(int backendPort, Duration readTimeout, String tlsDirectives) {
    ExternalProgram.requireInstalled(EXECUTABLE, "nginx");
    Path prefix;
    try {
      prefix = Files.createTempDirectory("ixws-nginx");
      // The workers run as another user when nginx starts as root: they must reach the prefix.
      Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new AssertionError("cannot create nginx's prefix", e);
    }
    String lastError = "";
    // The free port is found by binding and releasing it, so another process may take it first.
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int port = freePort();
      Nginx nginx = launch(prefix, port, backendPort, readTimeout, tlsDirectives);
      if (nginx.awaitListening()) {
        return nginx;
      }
      lastError = nginx.errorLog();
      nginx.close(false);
    }
    ExternalProgram.deleteRecursively(prefix);
    fail("nginx did not start in " + PORT_ATTEMPTS + " attempts; error log:\n" + lastError);
    throw new AssertionError("unreachable");
  }

  private static Nginx launch(
      Path prefix, int port, int backendPort, Duration readTimeout, String tlsDirectives) {
    Path config = prefix.resolve("nginx.conf");
    try {
      Files.writeString(config, config(prefix, port, backendPort, readTimeout, tlsDirectives));
      Files.deleteIfExists(prefix.resolve("error.log"));
    } catch (IOException e) {
      throw new AssertionError("cannot write " + config, e);
    }
    List<String> command =
        List.of(
            EXECUTABLE.toString(),
            "-p",
            prefix.toString(),
            "-c",
            config.toString(),
            "-e",
            prefix.resolve("error.log").toString(),
            "-g",
            "daemon off; pid " + prefix.resolve("nginx.pid") + ";");
    return new Nginx(prefix, ExternalProgram.start(command, prefix.resolve("nginx.out")), port);
  }

  private static String config(
      Path prefix, int port, int backendPort, Duration readTimeout, String tlsDirectives) {
    String p = prefix.toString();
    return String.join(
        "\n",
        "worker_processes 1;",
        "error_log " + p + "/error.log info;",
        "events { worker_connections 512; }",
        "http {",
        "  access_log " + p + "/access.log;",
        "  client_body_temp_path " + p + "/client_body;",
        "  proxy_temp_path " + p + "/proxy;",
        "  fastcgi_temp_path " + p + "/fastcgi;",
        "  uwsgi_temp_path " + p + "/uwsgi;",
        "  scgi_temp_path " + p + "/scgi;",
        "  server {",
        "    listen 127.0.0.1:" + port + (tlsDirectives == null ? ";" : " ssl;"),
        tlsDirectives == null ? "" : "    ssl_protocols TLSv1.2 TLSv1.3;\n" + tlsDirectives,
        "    location /ws {",
        "      proxy_pass http://127.0.0.1:" + backendPort + ";",
        "      proxy_http_version 1.1;",
        "      proxy_set_header Upgrade $http_upgrade;",
        "      proxy_set_header Connection \"upgrade\";",
        "      proxy_set_header Host $host;",
        "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "      proxy_set_header X-Forwarded-Proto $scheme;",
        "      proxy_read_timeout " + readTimeout.toMillis() + "ms;",
        "      proxy_send_timeout " + readTimeout.toMillis() + "ms;",
        "    }",
        "  }",
        "}",
        "");
  }

  /** The port nginx listens on (127.0.0.1). */
  int port() {
    return port;
  }

  /** The {@code ws://} URL of {@code path} through the proxy. */
  String url(String path) {
    return "ws://127.0.0.1:" + port + path;
  }

  /** nginx's version line, e.g. {@code nginx version: nginx/1.22.1}. */
  static String version() {
    // nginx -v prints to stderr.
    return ExternalProgram.version(
        new ProcessBuilder(EXECUTABLE.toString(), "-v").redirectErrorStream(true));
  }

  /** nginx's error log so far, for failure messages. */
  String errorLog() {
    StringBuilder log = new StringBuilder();
    for (String name : List.of("error.log", "nginx.out")) {
      try {
        log.append(Files.readString(prefix.resolve(name), StandardCharsets.UTF_8));
      } catch (IOException e) {
        // Not written (yet).
      }
    }
    return log.toString();
  }

  /** Stops nginx by its pid (the master with its workers) and removes its prefix. */
  @Override
  public void close() {
    close(true);
  }

  private void close(boolean deletePrefix) {
    List<ProcessHandle> workers = process.descendants().toList();
    // SIGTERM: nginx's fast shutdown, which also stops the workers.
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
    if (deletePrefix) {
      ExternalProgram.deleteRecursively(prefix);
    }
  }

  /** Waits until nginx accepts connections on its port; false if it exited or timed out. */
  private boolean awaitListening() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      // nginx writes its pid file just after it opens its listening socket.
      if (Files.exists(prefix.resolve("nginx.pid")) && accepts()) {
        return true;
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port on 127.0.0.1", e);
    }
  }
}
