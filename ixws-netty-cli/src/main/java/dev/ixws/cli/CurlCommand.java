package dev.ixws.cli;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpClient;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.HttpFormDataParameters;
import dev.ixws.http.HttpParameters;
import dev.ixws.http.HttpRequestArgs;
import dev.ixws.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ixws curl URL}: IX's curl-like HTTP client ({@code ws curl}), with curl's option names.
 * The body goes to stdout (or {@code -o FILE}, {@code -O}); {@code -v} writes the request and
 * response heads to stderr as curl does; {@code -I} prints the response head. A request that fails
 * (no response) exits with {@link Ixws#EXIT_FAILURE} and one line on stderr naming the {@code
 * HttpErrorCode}; any HTTP status exits 0, as curl without {@code -f}.
 *
 * <p>https uses IX's TLS flags ({@link TlsFlags}: {@code --ca-file}, {@code --cert-file}, {@code
 * --verify-none}...) through {@code HttpClient.setTLSOptions}. Not done: the progress bar.
 */
@Command(
    name = "curl",
    mixinStandardHelpOptions = true,
    description = "Send an HTTP request, print the response.")
final class CurlCommand implements Callable<Integer> {

  private final Terminal terminal;

  @Parameters(index = "0", paramLabel = "URL", description = "http:// or https:// URL to request.")
  private String url;

  @Option(
      names = {"-X", "--request"},
      paramLabel = "METHOD",
      description = "Method (default: GET, POST with -d/-F/--data-binary, HEAD with -I).")
  private String method;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "NAME=VALUE",
      description =
          "Form field, url-encoded (repeatable): an application/x-www-form-urlencoded body.")
  private List<String> fields = new ArrayList<>();

  @Option(
      names = {"-F", "--form"},
      paramLabel = "NAME=VALUE|NAME=@FILE",
      description = "Multipart field, or a file with @ (repeatable): a multipart/form-data body.")
  private List<String> formParts = new ArrayList<>();

  @Option(
      names = "--data-binary",
      paramLabel = "DATA|@FILE",
      description = "Raw body, or a file's bytes with @.")
  private String dataBinary;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "NAME: VALUE",
      description = "Extra header (repeatable); the value may contain colons.")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = {"-I", "--head"},
      description = "HEAD request; print the response head.")
  private boolean head;

  @Option(
      names = {"-i", "--include"},
      description = "Print the response head before the body.")
  private boolean include;

  @Option(
      names = {"-L", "--location"},
      description = "Follow redirects.")
  private boolean follow;

  @Option(
      names = {"--max-redirs", "--max-redirects"},
      defaultValue = "" + HttpRequestArgs.DEFAULT_MAX_REDIRECTS,
      paramLabel = "N",
      description = "Most redirects followed with -L (default: ${DEFAULT-VALUE}).")
  private int maxRedirects;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the body to FILE.")
  private Path output;

  @Option(
      names = {"-O", "--remote-name"},
      description = "Write the body to a file named after the URL's last path segment.")
  private boolean remoteName;

  @Option(
      names = "--compressed",
      description = "Ask for a gzip or deflate response (decoded either way).")
  private boolean compressed;

  @Option(
      names = "--connect-timeout",
      defaultValue = "" + HttpRequestArgs.DEFAULT_CONNECT_TIMEOUT_SECS,
      paramLabel = "SECS",
      description = "Connect timeout (default: ${DEFAULT-VALUE}).")
  private int connectTimeout;

  @Option(
      names = {"-m", "--max-time", "--transfer-timeout"},
      defaultValue = "" + HttpRequestArgs.DEFAULT_TRANSFER_TIMEOUT_SECS,
      paramLabel = "SECS",
      description = "Transfer timeout (default: ${DEFAULT-VALUE}).")
  private int transferTimeout;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print the request and response heads on stderr.")
  private boolean verbose;

  @Mixin private TlsFlags tls = new TlsFlags();

  CurlCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws IOException {
    HttpResponse response;
    // With -o or -O the body goes to a file: a progress meter on stderr, as curl's (set on the
    // first progress report, when the length is known).
    Progress[] progress = {null};
    try (HttpClient client = new HttpClient()) {
      client.setTLSOptions(tls.options());
      HttpRequestArgs args;
      try {
        args = arguments(client);
      } catch (IllegalArgumentException e) {
        terminal.err().println("ixws curl: " + e.getMessage());
        return Ixws.EXIT_USAGE;
      }
      if (output != null || remoteName) {
        args.setOnProgressCallback(
            (current, total) -> {
              if (progress[0] == null) {
                progress[0] = new Progress(terminal.err(), System.err, "Received", total);
              }
              progress[0].update(current);
              return true;
            });
      }
      String verb = method != null ? method : head ? HttpClient.HEAD : defaultVerb();
      try {
        if (!formParts.isEmpty()) {
          HttpParameters textFields = new HttpParameters();
          response = client.post(url, textFields, formData(textFields), args);
        } else if (!fields.isEmpty()) {
          response = client.request(url, verb, client.serializeHttpParameters(form()), args);
        } else if (dataBinary != null) {
          response = client.request(url, verb, bytesOf(dataBinary), args);
        } else {
          response = client.request(url, verb, new byte[0], args);
        }
      } catch (IllegalArgumentException e) {
        terminal.err().println("ixws curl: " + e.getMessage());
        return Ixws.EXIT_USAGE;
      }
    }
    if (response.errorCode() != HttpErrorCode.OK) {
      terminal.err().println("ixws curl: " + response.errorCode() + ": " + response.errorMsg());
      return response.errorCode() == HttpErrorCode.URL_MALFORMED
          ? Ixws.EXIT_USAGE
          : Ixws.EXIT_FAILURE;
    }
    if (head || include) {
      terminal
          .out()
          .print("HTTP/1.1 " + response.statusCode() + " " + response.description() + "\r\n");
      response
          .headers()
          .forEach((name, value) -> terminal.out().print(name + ": " + value + "\r\n"));
      terminal.out().print("\r\n");
    }
    Path target = output != null ? output : remoteName ? Path.of(remoteFileName()) : null;
    if (progress[0] != null) {
      progress[0].finish(response.downloadSize());
    }
    if (target != null) {
      Files.write(target, response.bodyBytes());
    } else if (!head) {
      OutputStream out = terminal.out();
      out.write(response.bodyBytes());
      out.flush();
    }
    terminal.out().flush();
    return Ixws.EXIT_OK;
  }

  private String defaultVerb() {
    return !fields.isEmpty() || !formParts.isEmpty() || dataBinary != null
        ? HttpClient.POST
        : HttpClient.GET;
  }

  private HttpRequestArgs arguments(HttpClient client) {
    WebSocketHttpHeaders.Builder extra = WebSocketHttpHeaders.builder();
    for (String header : headers) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("header without a name and a colon: " + header);
      }
      extra.add(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
    }
    HttpRequestArgs args =
        client
            .createRequest()
            .setExtraHeaders(extra.build())
            .setFollowRedirects(follow)
            .setMaxRedirects(maxRedirects)
            .setCompress(compressed)
            .setConnectTimeout(connectTimeout)
            .setTransferTimeout(transferTimeout)
            .setVerbose(verbose);
    if (verbose) {
      args.setLogger(line -> terminal.err().print(line));
    }
    return args;
  }

  private HttpParameters form() {
    HttpParameters parameters = new HttpParameters();
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        parameters.put(field, "");
      } else {
        parameters.put(field.substring(0, equals), field.substring(equals + 1));
      }
    }
    return parameters;
  }

  /** The file parts of {@code -F}; its text fields go to {@code textFields}. */
  private HttpFormDataParameters formData(HttpParameters textFields) throws IOException {
    HttpFormDataParameters parts = new HttpFormDataParameters();
    for (String part : formParts) {
      int equals = part.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("-F needs NAME=VALUE or NAME=@FILE: " + part);
      }
      String name = part.substring(0, equals);
      String value = part.substring(equals + 1);
      if (value.startsWith("@")) {
        Path file = Path.of(value.substring(1));
        parts.putFile(
            name,
            String.valueOf(file.getFileName()),
            "application/octet-stream",
            Files.readAllBytes(file));
      } else {
        textFields.put(name, value);
      }
    }
    return parts;
  }

  private static byte[] bytesOf(String data) throws IOException {
    return data.startsWith("@")
        ? Files.readAllBytes(Path.of(data.substring(1)))
        : data.getBytes(StandardCharsets.UTF_8);
  }

  private String remoteFileName() {
    String path = URI.create(url).getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("-O: the URL has no file name: " + url);
    }
    return name;
  }
}
