package dev.ixws.cli;

import dev.ixws.SocketTLSOptions;
import picocli.CommandLine.Option;

/**
 * The TLS flags of IX's {@code ws} tool, shared by the network commands (a picocli mixin): they
 * build the {@link SocketTLSOptions} given to {@code setTLSOptions}. A client uses TLS for {@code
 * wss://} URLs whatever the flags; a server speaks TLS only with {@code --tls}.
 */
final class TlsFlags {

  @Option(
      names = "--tls",
      description = "Speak TLS (wss://); servers need it with --cert-file and --key-file.")
  private boolean tls;

  @Option(
      names = "--cert-file",
      paramLabel = "FILE",
      description = "PEM certificate (chain): a server's, or a client's for mutual TLS.")
  private String certFile = "";

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description = "PEM private key of --cert-file.")
  private String keyFile = "";

  @Option(
      names = "--key-password",
      paramLabel = "PASSWORD",
      description = "Password of an encrypted --key-file (not in IX's ws).")
  private String keyPassword = "";

  @Option(
      names = "--ca-file",
      paramLabel = "FILE|SYSTEM|NONE",
      description =
          "Trusted roots: a PEM file, SYSTEM (default) or NONE. On a server, a file means clients"
              + " must present a certificate it signed.")
  private String caFile = SocketTLSOptions.CA_FILE_SYSTEM;

  @Option(
      names = "--ciphers",
      paramLabel = "LIST",
      description = "Cipher suites, ':'-separated (default: DEFAULT, the engine's own).")
  private String ciphers = SocketTLSOptions.CIPHERS_DEFAULT;

  @Option(names = "--verify-none", description = "Do not verify the peer (same as --ca-file NONE).")
  private boolean verifyNone;

  @Option(
      names = "--disable-hostname-validation",
      description = "Do not check that the server's certificate matches the URL's host.")
  private boolean disableHostnameValidation;

  /** The options the flags describe. */
  SocketTLSOptions options() {
    return SocketTLSOptions.builder()
        .tls(tls)
        .certFile(certFile)
        .keyFile(keyFile)
        .keyPassword(keyPassword)
        .caFile(verifyNone ? SocketTLSOptions.CA_FILE_NONE : caFile)
        .ciphers(ciphers)
        .disableHostnameValidation(disableHostnameValidation)
        .build();
  }
}
