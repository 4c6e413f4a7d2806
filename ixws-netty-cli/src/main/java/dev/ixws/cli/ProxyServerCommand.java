package dev.ixws.cli;

import dev.ixws.ReadyState;
import dev.ixws.SocketTLSOptions;
import dev.ixws.WebSocketCloseConstants;
import dev.ixws.WebSocketCloseInfo;
import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.WebSocketMessage;
import dev.ixws.client.WebSocket;
import dev.ixws.server.ConnectionState;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ixws proxy-server}: IX's {@code ws proxy_server}, a WebSocket reverse proxy. Each client
 * that connects gets a connection of its own to the remote server: {@code --remote-url} (or the URL
 * the {@code --config} file maps the client's {@code Host} header to) with the client's request
 * target appended, so {@code ws://proxy:8008/chat?room=1} with {@code --remote-url
 * ws://10.0.0.5:9000} reaches {@code ws://10.0.0.5:9000/chat?room=1}.
 *
 * <p>Relayed both ways: text as text, binary as binary (the bytes untouched), pings (each hop
 * answers its own pings with a pong, as RFC 6455 requires, and forwards the ping so that the far
 * end sees it too; the public API has no way to send an unsolicited pong, so pongs are not
 * forwarded), and the close code and reason. A close the other side cannot be sent as is (1005 no
 * status, 1006 connection lost, 1015 TLS failure) becomes 1000 for 1005, and 1001 "client gone"
 * towards the remote server or 1014 "remote server gone" towards the client for the others. A
 * remote server that cannot be reached closes its client with 1014 and the reason.
 *
 * <p>The client's handshake headers are not passed on, as in IX, except those named by {@code
 * --forward-header} (such as {@code Authorization}).
 *
 * <p>Messages a client sends before the remote connection is open are held (at most {@code
 * --max-queued-bytes}) and sent once it opens; IX's proxy instead blocks its I/O thread until the
 * remote connection is open.
 *
 * <p>Backpressure: the library's public API has no way to stop reading from a connection, so a slow
 * side cannot slow the other down at the TCP level. What the proxy holds for a side is bounded
 * instead: before relaying a message, it reads the buffered amount of the side it writes to (bytes
 * queued and not yet written to that socket), and when that plus the message would pass {@code
 * --max-queued-bytes}, the slow side is closed with 1008 "too slow: N bytes not yet sent, limit L"
 * and the other with 1013 "peer too slow: ..." (Try Again Later). A pair of connections thus holds
 * at most the limit plus one message each way, whatever the rates (IX's proxy queues without
 * bound).
 *
 * <p>Prints {@code Listening on HOST:PORT}, one line per connection (with the remote URL) and
 * disconnection unless {@code -q}, and one per relayed message only with {@code -v}.
 */
@Command(
    name = "proxy-server",
    header = "Relay each client to a remote server.",
    aliases = "proxy_server",
    mixinStandardHelpOptions = true,
    description =
        "Run a WebSocket reverse proxy: each client is connected to the remote URL (or the URL"
            + " --config maps its Host header to) with its request target appended, and every"
            + " message, ping and close is relayed both ways.")
final class ProxyServerCommand implements Callable<Integer> {

  /** The default bound on the bytes waiting to be written to either side of a pair: 4 MiB. */
  static final long DEFAULT_MAX_QUEUED_BYTES = 4L * 1024 * 1024;

  /** The close code for the side that stays behind: RFC 6455's "policy violation". */
  static final int TOO_SLOW_CODE = 1008;

  /** The close code for a client whose Host has no remote URL: "policy violation". */
  static final int NO_ROUTE_CODE = 1008;

  /** The close code for the other side of a pair closed for slowness: "Try Again Later". */
  static final int PEER_TOO_SLOW_CODE = 1013;

  /** The close code for a client whose remote server is unreachable or gone: "Bad Gateway". */
  static final int BAD_GATEWAY_CODE = 1014;

  /** The close code for a remote server whose client went away without a close frame. */
  static final int GOING_AWAY_CODE = WebSocketCloseConstants.GOING_AWAY_CODE;

  /** The longest close reason, in UTF-8 bytes (RFC 6455 5.5: 125-byte control payload). */
  static final int MAX_CLOSE_REASON_BYTES = 123;

  private static final int MAX_FRAME_HEADER_BYTES = 14;

  private final Terminal terminal;

  @Mixin private ServerOptions server;

  @Option(
      names = {"--remote-url", "--remote_url", "--remote-host", "--remote_host"},
      paramLabel = "URL",
      description =
          "The ws:// or wss:// URL clients are relayed to, their request target appended (IX's"
              + " --remote_host).")
  private String remoteUrl;

  @Option(
      names = {"--config", "--config-path", "--config_path"},
      paramLabel = "FILE",
      description =
          "A file of HOST=URL lines: a client whose Host header is HOST (with or without its"
              + " port) is relayed to URL instead.")
  private Path configPath;

  @Option(
      names = {"--max-queued-bytes", "--max_queued_bytes"},
      defaultValue = "" + DEFAULT_MAX_QUEUED_BYTES,
      paramLabel = "BYTES",
      description =
          "When a side has more than this many bytes waiting to be written to it, it is closed"
              + " with 1008 and the other with 1013 (default: ${DEFAULT-VALUE}).")
  private long maxQueuedBytes;

  @Option(
      names = "--remote-ca-file",
      paramLabel = "FILE|SYSTEM|NONE",
      description =
          "Roots trusted for wss:// remote servers: a PEM file, SYSTEM (default) or NONE.")
  private String remoteCaFile = SocketTLSOptions.CA_FILE_SYSTEM;

  @Option(
      names = {"--forward-header", "--forward_header"},
      paramLabel = "NAME",
      description =
          "Pass the client's NAME handshake header (e.g. Authorization) on to the remote server;"
              + " repeatable. None is passed by default, as in IX.")
  private List<String> forwardHeaders = new ArrayList<>();

  @Mixin private TlsFlags tls = new TlsFlags();

  ProxyServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (maxQueuedBytes < 1) {
      terminal.err().println("Error: --max-queued-bytes must be at least 1");
      return Ixws.EXIT_USAGE;
    }
    if (remoteUrl == null && configPath == null) {
      terminal.err().println("Error: give --remote-url URL, --config FILE or both");
      return Ixws.EXIT_USAGE;
    }
    if (remoteUrl != null) {
      String problem = checkUrl(remoteUrl);
      if (problem != null) {
        terminal.err().println("Error: --remote-url " + remoteUrl + ": " + problem);
        return Ixws.EXIT_USAGE;
      }
    }
    Map<String, String> mapping = Map.of();
    if (configPath != null) {
      try {
        mapping = parseConfig(Files.readAllLines(configPath, StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        terminal
            .err()
            .println("Error: cannot read the config file " + configPath + ": no such file");
        return Ixws.EXIT_FAILURE;
      } catch (IOException e) {
        terminal.err().println("Error: cannot read the config file " + configPath + ": " + e);
        return Ixws.EXIT_FAILURE;
      } catch (IllegalArgumentException e) {
        terminal.err().println("Error: config file " + configPath + ": " + e.getMessage());
        return Ixws.EXIT_USAGE;
      }
    }
    SocketTLSOptions remoteTls = SocketTLSOptions.builder().caFile(remoteCaFile).build();
    Routes routes = new Routes(remoteUrl, mapping);
    return server.serve(
        terminal,
        s -> {
          s.setTLSOptions(tls.options());
          s.setOnConnectionCallback(
              (webSocket, state) -> {
                Pair pair = new Pair(webSocket, state, routes, remoteTls);
                webSocket.setOnMessageCallback(pair::onClientMessage);
              });
        });
  }

  /** Why {@code url} cannot be a remote URL, or null if it can. */
  static String checkUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("ws") && !scheme.equals("wss")) {
        return "not a ws:// or wss:// URL";
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return "no host";
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        return "the client's request target is appended: the URL may not have a query";
      }
      return null;
    } catch (URISyntaxException e) {
      return e.getMessage();
    }
  }

  /**
   * The host-to-URL mapping of a config file: one {@code HOST=URL} per line (IX's documented
   * format), blank lines and lines starting with {@code #} ignored, spaces around either side
   * trimmed. Host names compare case-insensitively.
   *
   * @throws IllegalArgumentException naming the line, for a line without {@code =} or a bad URL
   */
  static Map<String, String> parseConfig(List<String> lines) {
    Map<String, String> mapping = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected HOST=URL: " + line);
      }
      String host = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String url = line.substring(equals + 1).strip();
      String problem = checkUrl(url);
      if (problem != null) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + url + ": " + problem);
      }
      mapping.put(host, url);
    }
    return Map.copyOf(mapping);
  }

  /** {@code base} with the client's request target {@code uri} (starting with /) appended. */
  static String join(String base, String uri) {
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + (uri.startsWith("/") ? uri : "/" + uri);
  }

  /**
   * The close to send one side when the other closed with {@code closeInfo}: the same code and
   * reason when they may be sent; 1000 for 1005 (no status); {@code fallbackCode} with {@code
   * fallbackWhy} and the reason for 1006, 1015 and any other code that may not be sent.
   */
  static WebSocketCloseInfo relayedClose(
      WebSocketCloseInfo closeInfo, int fallbackCode, String fallbackWhy) {
    int code = closeInfo.code();
    if (WebSocketCloseConstants.isValidCloseCode(code)) {
      return new WebSocketCloseInfo(code, truncate(closeInfo.reason()), closeInfo.remote());
    }
    if (code == WebSocketCloseConstants.NO_STATUS_CODE_ERROR_CODE) {
      return new WebSocketCloseInfo(
          WebSocketCloseConstants.NORMAL_CLOSURE_CODE, "", closeInfo.remote());
    }
    String reason =
        closeInfo.reason().isEmpty() ? fallbackWhy : fallbackWhy + ": " + closeInfo.reason();
    return new WebSocketCloseInfo(fallbackCode, truncate(reason), closeInfo.remote());
  }

  /** {@code reason} cut to at most {@link #MAX_CLOSE_REASON_BYTES} UTF-8 bytes, on a char. */
  static String truncate(String reason) {
    if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES) {
      return reason;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int codePoint = reason.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > MAX_CLOSE_REASON_BYTES) {
        break;
      }
      out.appendCodePoint(codePoint);
      bytes += size;
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }

  /** Where a client goes: by its {@code Host} header, else the remote URL; null for nowhere. */
  record Routes(String remoteUrl, Map<String, String> byHost) {

    String remoteFor(String hostHeader, String uri) {
      String base = remoteUrl;
      if (hostHeader != null) {
        String host = hostHeader.strip().toLowerCase(Locale.ROOT);
        String mapped = byHost.get(host);
        if (mapped == null) {
          mapped = byHost.get(withoutPort(host));
        }
        if (mapped != null) {
          base = mapped;
        }
      }
      return base == null ? null : join(base, uri);
    }

    private static String withoutPort(String host) {
      if (host.startsWith("[")) {
        int end = host.indexOf(']');
        return end < 0 ? host : host.substring(0, end + 1);
      }
      int colon = host.lastIndexOf(':');
      return colon < 0 ? host : host.substring(0, colon);
    }
  }

  /**
   * One client and its connection to the remote server. The client's callbacks run on its event
   * loop, the remote's on its own; what both touch (the held messages, whether the remote is open,
   * whether the pair is closing) is guarded by the pair's lock, which is only held to queue sends
   * (a send never blocks).
   */
  private final class Pair {
    private final WebSocket client;
    private final ConnectionState state;
    private final Routes routes;
    private final SocketTLSOptions remoteTls;
    private final WebSocket remote = new WebSocket();
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<WebSocketMessage> held = new ArrayDeque<>();
    private long heldBytes;
    private boolean remoteOpen;
    private boolean remoteStarted;
    private boolean closing;

    Pair(WebSocket client, ConnectionState state, Routes routes, SocketTLSOptions remoteTls) {
      this.client = client;
      this.state = state;
      this.routes = routes;
      this.remoteTls = remoteTls;
    }

    private String id() {
      return "Connection " + state.getId();
    }

    // ------------------------------------------------------------- the client's side

    void onClientMessage(WebSocketMessage msg) {
      switch (msg.type()) {
        case OPEN -> onClientOpen(msg);
        case MESSAGE -> {
          if (server.verbose) {
            terminal.out().println(id() + ": " + describe(msg) + " to the remote server");
          }
          synchronized (lock) {
            if (closing) {
              return;
            }
            if (!remoteOpen) {
              hold(msg);
            } else {
              relay(msg, remote, client, "the remote server");
            }
          }
        }
        case PING -> {
          synchronized (lock) {
            if (remoteOpen && !closing) {
              remote.ping(msg.bytes());
            }
          }
        }
        case CLOSE -> {
          if (!server.quiet) {
            terminal.out().println(id() + " closed: " + Messages.describe(msg.closeInfo()));
          }
          WebSocketCloseInfo relayed =
              relayedClose(msg.closeInfo(), GOING_AWAY_CODE, "client gone");
          synchronized (lock) {
            if (closing) {
              return;
            }
            closing = true;
            held.clear();
            heldBytes = 0;
            if (remoteStarted) {
              remote.close(relayed.code(), relayed.reason());
            }
          }
        }
        case ERROR ->
            terminal.err().println(id() + " error: " + Messages.describe(msg.errorInfo()));
        default -> {
          // Pongs answer our own pings; fragments are followed by their whole message.
        }
      }
    }

    private void onClientOpen(WebSocketMessage msg) {
      String uri = msg.openInfo().uri();
      String url = routes.remoteFor(msg.openInfo().headers().get("Host"), uri);
      String from = EchoServerCommand.hostAndPort(state.getRemoteIp(), state.getRemotePort());
      if (url == null) {
        if (!server.quiet) {
          terminal
              .out()
              .println(
                  id() + " opened from " + from + ", uri " + uri + ": no remote URL for its Host");
        }
        synchronized (lock) {
          closing = true;
        }
        client.close(NO_ROUTE_CODE, "no remote server for this host");
        return;
      }
      if (!server.quiet) {
        terminal.out().println(id() + " opened from " + from + ", uri " + uri + ", to " + url);
      }
      remote.setUrl(url);
      remote.setExtraHeaders(forwarded(msg.openInfo().headers()));
      remote.disableAutomaticReconnection();
      remote.setHandshakeTimeout(server.handshakeTimeoutSecs);
      remote.setTLSOptions(remoteTls);
      remote.setOnMessageCallback(this::onRemoteMessage);
      synchronized (lock) {
        remoteStarted = true;
      }
      remote.start();
    }

    /** Holds a message until the remote connection opens; past the limit, closes the client. */
    private void hold(WebSocketMessage msg) {
      long cost = msg.size() + MAX_FRAME_HEADER_BYTES;
      if (heldBytes + cost > maxQueuedBytes) {
        closeForSlowness(remote, client, heldBytes, "the remote server (still connecting)");
        return;
      }
      held.add(msg);
      heldBytes += cost;
    }

    // ------------------------------------------------------------- the remote's side

    private void onRemoteMessage(WebSocketMessage msg) {
      switch (msg.type()) {
        case OPEN -> {
          if (server.verbose) {
            terminal.out().println(id() + ": remote server connected");
          }
          synchronized (lock) {
            if (closing) {
              remote.close();
              return;
            }
            remoteOpen = true;
            while (!held.isEmpty() && !closing) {
              relay(held.poll(), remote, client, "the remote server");
            }
            held.clear();
            heldBytes = 0;
          }
        }
        case MESSAGE -> {
          if (server.verbose) {
            terminal.out().println(id() + ": " + describe(msg) + " to the client");
          }
          synchronized (lock) {
            if (!closing) {
              relay(msg, client, remote, "the client");
            }
          }
        }
        case PING -> {
          synchronized (lock) {
            if (!closing) {
              client.ping(msg.bytes());
            }
          }
        }
        case CLOSE -> {
          if (!server.quiet) {
            terminal
                .out()
                .println(id() + " remote connection closed: " + Messages.describe(msg.closeInfo()));
          }
          WebSocketCloseInfo relayed =
              relayedClose(msg.closeInfo(), BAD_GATEWAY_CODE, "remote server gone");
          synchronized (lock) {
            if (closing) {
              return;
            }
            closing = true;
          }
          client.close(relayed.code(), relayed.reason());
        }
        case ERROR -> {
          String reason = Messages.describe(msg.errorInfo());
          terminal.err().println(id() + ": remote server " + remote.getUrl() + ": " + reason);
          synchronized (lock) {
            if (closing || remoteOpen) {
              return; // a CLOSE follows for an open connection
            }
            closing = true;
          }
          client.close(BAD_GATEWAY_CODE, truncate("cannot reach the remote server: " + reason));
        }
        default -> {
          // Pongs answer the pings we forwarded; fragments are followed by their whole message.
        }
      }
    }

    // ------------------------------------------------------------- both

    /**
     * Sends {@code msg} to {@code to} unless its backlog would pass the limit, in which case {@code
     * to} is the slow side and the pair is closed. Called with the lock held.
     */
    private void relay(WebSocketMessage msg, WebSocket to, WebSocket from, String toName) {
      long queued = to.getBufferedAmount();
      long cost = msg.size() + MAX_FRAME_HEADER_BYTES;
      if (queued + cost > maxQueuedBytes) {
        closeForSlowness(to, from, queued, toName);
      } else if (to.getReadyState() == ReadyState.OPEN) {
        // A failed send means that side is closing: its CLOSE is relayed.
        to.send(msg);
      }
    }

    /** Closes {@code slow} with 1008 and {@code other} with 1013. Called with the lock held. */
    private void closeForSlowness(WebSocket slow, WebSocket other, long queued, String slowName) {
      closing = true;
      held.clear();
      heldBytes = 0;
      String reason = "too slow: " + queued + " bytes not yet sent, limit " + maxQueuedBytes;
      if (!server.quiet) {
        terminal.out().println(id() + ": " + slowName + " is " + reason + "; closing both");
      }
      if (slow != remote || remoteStarted) {
        slow.close(TOO_SLOW_CODE, reason);
      }
      other.close(PEER_TOO_SLOW_CODE, "peer " + reason);
    }
  }

  /** The client's headers named by {@code --forward-header}, for the remote handshake. */
  private WebSocketHttpHeaders forwarded(WebSocketHttpHeaders clientHeaders) {
    WebSocketHttpHeaders.Builder headers = WebSocketHttpHeaders.builder();
    for (String name : forwardHeaders) {
      String value = clientHeaders.get(name);
      if (value != null) {
        headers.set(name, value);
      }
    }
    return headers.build();
  }

  private static String describe(WebSocketMessage msg) {
    return (msg.binary() ? "binary" : "text") + " message of " + msg.size() + " bytes";
  }
}
