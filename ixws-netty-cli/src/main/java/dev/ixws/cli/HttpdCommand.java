package dev.ixws.cli;

import dev.ixws.ListenResult;
import dev.ixws.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws httpd}: IX's {@code ws httpd}, a static file server on the library's {@link
 * HttpServer} (traversal-safe, keep-alive, ranges, 304s, gzip; see docs/http-server.md), or IX's
 * redirect server ({@code -L --redirect-url URL}) or debug server ({@code -D}). Serves until
 * Ctrl-C.
 */
@Command(
    name = "httpd",
    mixinStandardHelpOptions = true,
    description = "Serve a directory over HTTP.")
final class HttpdCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Option(
      names = "--port",
      defaultValue = "" + HttpServer.DEFAULT_PORT,
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}, IX's).")
  private int port;

  @Option(
      names = "--host",
      defaultValue = HttpServer.DEFAULT_HOST,
      paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  private String host;

  @Option(
      names = {"--directory", "--root"},
      defaultValue = ".",
      paramLabel = "DIR",
      description = "The directory served (default: the working directory).")
  private Path directory;

  @Option(
      names = "-L",
      description = "Redirect every request to --redirect-url (IX's redirect server).")
  private boolean redirect;

  @Option(
      names = {"--redirect-url", "--redirect_url"},
      paramLabel = "URL",
      description = "Where -L redirects (default: http://www.google.com, IX's).")
  private String redirectUrl = "http://www.google.com";

  @Option(
      names = {"-D", "--debug"},
      description =
          "Answer every request with its own request line and headers (IX's debug server).")
  private boolean debug;

  @Option(
      names = "--max-connections",
      defaultValue = "1024",
      paramLabel = "N",
      description = "Connections at once; more get HTTP 503 (default: ${DEFAULT-VALUE}).")
  private int maxConnections;

  @Mixin private TlsFlags tls = new TlsFlags();

  HttpdCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    HttpServer server;
    try {
      server = new HttpServer(port, host, 1024, maxConnections, HttpServer.DEFAULT_TIMEOUT_SECS);
    } catch (IllegalArgumentException e) {
      terminal.err().println("Error: " + e.getMessage());
      return Ixws.EXIT_USAGE;
    }
    if (redirect) {
      server.makeRedirectServer(redirectUrl);
    } else if (debug) {
      server.makeDebugServer();
    } else {
      if (!Files.isDirectory(directory)) {
        terminal.err().println("Error: " + directory + " is not a directory");
        return Ixws.EXIT_USAGE;
      }
      server.setDefaultConnectionCallback(directory);
    }
    server.setTLSOptions(tls.options());
    ListenResult listening = server.listen();
    if (!listening.ok()) {
      terminal.err().println("Error: " + listening.errorMessage());
      return Ixws.EXIT_FAILURE;
    }
    server.start();
    terminal.out().println("Listening on " + EchoServerCommand.hostAndPort(host, server.getPort()));
    ShutdownHook hook = ShutdownHook.install(server::stop);
    try {
      server.awaitStop();
      return Ixws.EXIT_OK;
    } catch (InterruptedException e) {
      server.stop();
      Thread.currentThread().interrupt();
      return Ixws.EXIT_INTERRUPTED;
    } finally {
      hook.remove();
    }
  }
}
