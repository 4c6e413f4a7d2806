/*
 * TLS for the C load generators (c-load, c-storm): wss:// URLs through OpenSSL (libssl-dev), with
 * recv()/send() semantics so that their epoll loops stay as they are: -1 with errno EAGAIN when
 * the TLS engine would block (in either direction), 0 at the end of the stream.
 *
 * The generator measures servers, not itself: it does not verify the server's certificate (the
 * benchmarks' servers use a throwaway self-signed one) and keeps no session cache, so every
 * connection is a full handshake. TLS 1.2 and 1.3, OpenSSL's default cipher order; SNI is sent
 * for host names. Included, not linked: each peer stays one gcc command (-lssl -lcrypto).
 * Needs <errno.h>, <string.h> and <sys/types.h> first.
 */
#ifndef TLS_IO_H
#define TLS_IO_H

#include <openssl/err.h>
#include <openssl/ssl.h>

static SSL_CTX *tls_ctx;

/* The client context, made once. */
static void tls_setup(void) {
  tls_ctx = SSL_CTX_new(TLS_client_method());
  if (!tls_ctx) {
    fprintf(stderr, "tls: SSL_CTX_new failed\n");
    exit(2);
  }
  SSL_CTX_set_min_proto_version(tls_ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
  SSL_CTX_set_session_cache_mode(tls_ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(tls_ctx, SSL_OP_NO_TICKET);
  /* Partial writes as send() does; buffers freed while idle (the storm holds 10,000). */
  SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                SSL_MODE_RELEASE_BUFFERS);
}

/* A client session on the connected socket fd; sni is the URL's host (not sent for an IP). */
static SSL *tls_new(int fd, const char *sni) {
  SSL *s = SSL_new(tls_ctx);
  if (!s || SSL_set_fd(s, fd) != 1) {
    fprintf(stderr, "tls: SSL_new failed\n");
    exit(2);
  }
  struct in6_addr ip;
  if (inet_pton(AF_INET, sni, &ip) != 1 && inet_pton(AF_INET6, sni, &ip) != 1)
    SSL_set_tlsext_host_name(s, sni);
  SSL_set_connect_state(s);
  return s;
}

/* The reason of the last failure, for the error report. */
static const char *tls_error(SSL *s, int rc) {
  static char text[200];
  int e = SSL_get_error(s, rc);
  unsigned long q = ERR_get_error();
  if (q) ERR_error_string_n(q, text, sizeof text);
  else if (e == SSL_ERROR_SYSCALL) snprintf(text, sizeof text, "%s", errno ? strerror(errno) : "connection closed");
  else snprintf(text, sizeof text, "TLS error %d", e);
  ERR_clear_error();
  return text;
}

/* One step of the handshake: 1 done, 0 would block, -1 failed (tls_error says why). */
static int tls_handshake(SSL *s, int *rc_out) {
  int rc = SSL_do_handshake(s);
  *rc_out = rc;
  if (rc == 1) return 1;
  int e = SSL_get_error(s, rc);
  return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

/* Maps an SSL_read/SSL_write result to recv()/send()'s. */
static ssize_t tls_result(SSL *s, int rc) {
  if (rc > 0) return rc;
  int e = SSL_get_error(s, rc);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    errno = EAGAIN;
    return -1;
  }
  if (e == SSL_ERROR_ZERO_RETURN) return 0;
  if (e != SSL_ERROR_SYSCALL || errno == 0) errno = EPROTO;
  ERR_clear_error();
  return -1;
}

static ssize_t tls_recv(SSL *s, void *buf, size_t n) {
  ERR_clear_error();
  return tls_result(s, SSL_read(s, buf, n > 0x7fffffff ? 0x7fffffff : (int)n));
}

static ssize_t tls_send(SSL *s, const void *buf, size_t n) {
  ERR_clear_error();
  return tls_result(s, SSL_write(s, buf, n > 0x7fffffff ? 0x7fffffff : (int)n));
}

#endif
