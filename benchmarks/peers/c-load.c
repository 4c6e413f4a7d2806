/*
 * A WebSocket echo load generator in C: the server scenarios (throughput, latency, large messages,
 * compressed messages) driven by a generator that is not the bottleneck, as the performance issue
 * asks.
 *
 * Opens N connections (RFC 6455 upgrade, Sec-WebSocket-Accept checked), then keeps K messages of
 * S bytes in flight on each: every echo that comes back is timed and answered with the next
 * message. An echo server answers a connection's messages in order, so each connection keeps the
 * send times of its messages in flight in a ring and times an echo against the oldest one. An echo
 * of the wrong size or opcode is an error. Frames are masked with a zero key (RFC 6455 allows any
 * key; XOR with zero leaves the payload as it is) and built once, so the generator copies one
 * prebuilt frame per message. A warm-up of W seconds, then D seconds measured: messages/s, MB/s
 * (payload both ways, 10^6 bytes), the bytes on the wire both ways, round-trip latency percentiles
 * (1 us buckets up to 10 s), this process's CPU in percent of one core (near 100 the figures are
 * bound by the generator) and, with --server-pid, the server's CPU over the same seconds (from
 * /proc/PID/stat) and its messages per CPU-second.
 *
 * --json-payload: the payload is typical JSON text (records with ids, names, numbers, flags), POOL
 * different messages sent in turn, so that compression meets realistic, varying content.
 * --deflate: offers permessage-deflate (RFC 7692) and fails unless the server accepts it; each
 * pool message is compressed once up front (zlib, raw deflate, 15-bit window; no message refers
 * to an earlier one, which any context-takeover setting allows) and sent with RSV1; the echoes
 * are inflated (one zlib context per connection, kept across messages) and their inflated size
 * checked. --no-context-takeover adds client_no_context_takeover and server_no_context_takeover
 * to the offer, so that the server compresses every message with a fresh context.
 *
 * wss:// URLs go through OpenSSL (tls-io.h: every connection a full handshake, the server's
 * certificate not verified: the generator measures servers, it does not protect anyone).
 *
 * One thread, level-triggered epoll; SHA-1 and base64 from ws-accept.h, zlib for --deflate. It
 * prints the JSON fields of `ixws bench` (plus "loadGenerator":"c-load"), so benchmarks/run.sh and
 * benchmarks/report.py can read its results.
 *
 * Build: gcc -O2 -Wall -Wextra -o benchmarks/target/c-load benchmarks/peers/c-load.c -lz -lssl -lcrypto
 * Run:   c-load --url ws[s]://127.0.0.1:PORT/ [--connections 100] [--in-flight 16] [--size 64]
 *               [--duration 10] [--warmup 2] [--text|--binary|--json-payload] [--deflate]
 *               [--no-context-takeover] [--server-pid PID] [--json FILE|-] [--quiet]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "tls-io.h"
#include "ws-accept.h"

#define MAX_HEAD 8192
#define LATENCY_BUCKETS 10000000 /* 1 us each: up to 10 s */
#define POOL 16 /* distinct messages sent in turn (deflate: each compressed once, up front) */

struct conn {
  int fd;
  SSL *ssl; /* wss:// only */
  int open;
  char key[25];
  char head[MAX_HEAD + 1];
  size_t head_len;
  /* Reading frames: the header being read, then how much payload is left. */
  uint8_t hdr[14];
  size_t hdr_len;
  uint64_t payload_left;
  int frame_opcode, frame_fin;
  /* The message being received (it may come in fragments): its opcode, compression and size. */
  int msg_opcode, msg_compressed;
  uint64_t msg_len;
  z_stream inflater; /* --deflate: the server's messages, context kept as the RFC allows */
  int inflater_ready;
  /* Send times of the messages in flight, oldest first (an echo server answers in order). */
  uint64_t *sent_at;
  long sent_head, sent_count;
  long next_msg;
  /* Writing: bytes of whole frames queued but not written yet (start offset into out). */
  uint8_t *out;
  size_t out_len, out_off, out_cap;
};

static struct conn *conns;
static int ep;
static struct sockaddr_storage addr;
static socklen_t addr_len;
static char host_header[300], path[1024], host_name[300];
static int tls_on;
static long n_conns = 100, in_flight = 16, size = 64, duration = 10, warmup = 2;
static int binary = 1, quiet, json_payload, deflate_on, no_context_takeover;
static long server_pid;
/* The frames sent, built once: POOL messages of `size` bytes, masked with a zero key. */
static uint8_t *frames[POOL];
static size_t frame_lens[POOL];
static int n_frames = 1;
static uint64_t rng = 88172645463325252ull;
static uint32_t *latency;
static long long messages, errors, samples, wire_in, wire_out;
static double lat_sum;
static int measuring;
static char first_error[256];
static uint8_t inflate_out[256 * 1024]; /* inflated bytes are counted, not kept */

static double now_secs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double cpu_secs(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static uint64_t next_random(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 2685821657736338717ull;
}

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "c-load: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n");
  exit(2);
}

static void note_error(const char *what) {
  errors++;
  if (!first_error[0]) snprintf(first_error, sizeof first_error, "%s", what);
}

static void parse_url(const char *url) {
  tls_on = strncmp(url, "wss://", 6) == 0;
  if (!tls_on && strncmp(url, "ws://", 5) != 0) die("only ws:// and wss:// URLs are supported: %s", url);
  const char *h = url + (tls_on ? 6 : 5), *slash = strchr(h, '/');
  size_t hlen = slash ? (size_t)(slash - h) : strlen(h);
  if (hlen == 0 || hlen >= sizeof host_header) die("bad URL: %s", url);
  memcpy(host_header, h, hlen);
  host_header[hlen] = 0;
  snprintf(path, sizeof path, "%s", slash ? slash : "/");
  char host[300], port[16];
  snprintf(port, sizeof port, "%s", tls_on ? "443" : "80");
  snprintf(host, sizeof host, "%s", host_header);
  char *colon = strrchr(host, ':');
  if (colon && host[0] != '[') {
    snprintf(port, sizeof port, "%s", colon + 1);
    *colon = 0;
  }
  snprintf(host_name, sizeof host_name, "%s", host);
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) die("cannot resolve the URL's host: %s", gai_strerror(rc));
  memcpy(&addr, res->ai_addr, res->ai_addrlen);
  addr_len = res->ai_addrlen;
  freeaddrinfo(res);
}

/* ---------------------------------------------------------------- the messages */

static long server_ticks(void) { /* utime + stime of --server-pid, in clock ticks; -1 unknown */
  if (server_pid <= 0) return -1;
  char file[64], buf[1024];
  snprintf(file, sizeof file, "/proc/%ld/stat", server_pid);
  FILE *f = fopen(file, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')'); /* the command name may hold spaces; fields 3.. follow it */
  if (!p) return -1;
  unsigned long utime, stime;
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return -1;
  return (long)(utime + stime);
}

/* Message `k` of the pool: `size` bytes of JSON records, or letters (valid UTF-8 for --text). */
static void fill_payload(uint8_t *p, int k) {
  static const char *names[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
  static const char *tags[] = {"\"new\"", "\"vip\"", "\"eu\"", "\"us\"", "\"beta\""};
  if (!json_payload) {
    for (long i = 0; i < size; i++) p[i] = (uint8_t)('a' + (i + k) % 26);
    return;
  }
  long len = 0;
  char rec[256];
  p[len++] = '[';
  for (long id = 1000L * k; len < size; id++) {
    uint64_t r = next_random();
    int n = snprintf(rec, sizeof rec,
                     "%s{\"id\":%ld,\"user\":\"%s-%lu\",\"score\":%lu.%02lu,\"active\":%s,"
                     "\"tags\":[%s,%s],\"updated\":\"2026-12-%02luT%02lu:%02lu:%02luZ\"}",
                     len > 1 ? "," : "", id, names[r % 8], (unsigned long)(r >> 8) % 10000,
                     (unsigned long)(r >> 20) % 1000, (unsigned long)(r >> 30) % 100,
                     (r >> 40) & 1 ? "true" : "false", tags[(r >> 41) % 5], tags[(r >> 44) % 5],
                     1 + (unsigned long)(r >> 47) % 28, (unsigned long)(r >> 52) % 24,
                     (unsigned long)(r >> 56) % 60, (unsigned long)(r >> 58) % 60);
    for (int i = 0; i < n && len < size; i++) p[len++] = (uint8_t)rec[i];
  }
  if (size > 1) p[size - 1] = ']';
}

/* Raw deflate of `in` with a fresh context, ending with an empty stored block whose last four
 * bytes (00 00 ff ff) are left out, as RFC 7692 section 7.2.1 says. Returns the length in out. */
static size_t compress_message(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
  z_stream z = {0};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    die("%s", "deflateInit2 failed");
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  if (deflate(&z, Z_SYNC_FLUSH) != Z_OK || z.avail_in != 0 || z.avail_out == 0) die("%s", "deflate failed");
  size_t len = cap - z.avail_out;
  deflateEnd(&z);
  if (len < 4 || memcmp(out + len - 4, "\0\0\xff\xff", 4) != 0) die("%s", "deflate did not end with a sync flush");
  return len - 4;
}

/* Builds the pool of frames: FIN, the opcode (RSV1 when compressed), the length, a zero mask key. */
static void build_frames(void) {
  n_frames = json_payload || deflate_on ? POOL : 1;
  size_t cap = (size_t)size + size / 8 + 64;
  uint8_t *plain = malloc((size_t)size + 1), *packed = malloc(cap);
  if (!plain || !packed) die("%s", "out of memory");
  for (int k = 0; k < n_frames; k++) {
    fill_payload(plain, k);
    const uint8_t *body = plain;
    size_t len = (size_t)size;
    if (deflate_on) {
      len = compress_message(plain, (size_t)size, packed, cap);
      body = packed;
    }
    uint8_t *f = malloc(len + 14), *p = f;
    if (!f) die("%s", "out of memory");
    *p++ = (uint8_t)(0x80 | (deflate_on ? 0x40 : 0) | (binary ? 2 : 1));
    if (len > 65535) {
      *p++ = 0x80 | 127;
      for (int i = 7; i >= 0; i--) *p++ = (uint8_t)((uint64_t)len >> (8 * i));
    } else if (len > 125) {
      *p++ = 0x80 | 126;
      *p++ = (uint8_t)(len >> 8);
      *p++ = (uint8_t)len;
    } else {
      *p++ = (uint8_t)(0x80 | len);
    }
    memset(p, 0, 4); /* the mask key */
    p += 4;
    memcpy(p, body, len);
    frames[k] = f;
    frame_lens[k] = (size_t)(p - f) + len;
  }
  free(plain);
  free(packed);
}

/* ---------------------------------------------------------------- the socket (or TLS) */

static ssize_t conn_recv(struct conn *c, void *buf, size_t n) {
  return c->ssl ? tls_recv(c->ssl, buf, n) : recv(c->fd, buf, n, 0);
}

static ssize_t conn_send(struct conn *c, const void *buf, size_t n) {
  return c->ssl ? tls_send(c->ssl, buf, n) : send(c->fd, buf, n, MSG_NOSIGNAL);
}

/* ---------------------------------------------------------------- writing */

static int flush_out(struct conn *c) {
  while (c->out_off < c->out_len) {
    ssize_t w = conn_send(c, c->out + c->out_off, c->out_len - c->out_off);
    if (w < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        return 0;
      }
      if (errno == EINTR) continue;
      return -1;
    }
    c->out_off += (size_t)w;
    if (measuring) wire_out += w;
  }
  c->out_len = c->out_off = 0;
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
  return 0;
}

/* Queues the connection's next message of the pool and notes its send time. */
static void queue_message(struct conn *c) {
  int k = (int)(c->next_msg++ % n_frames);
  size_t need = c->out_len + frame_lens[k];
  if (need > c->out_cap) {
    size_t cap = c->out_cap ? c->out_cap : 4096;
    while (cap < need) cap *= 2;
    c->out = realloc(c->out, cap);
    if (!c->out) die("%s", "out of memory");
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, frames[k], frame_lens[k]);
  c->out_len = need;
  c->sent_at[(c->sent_head + c->sent_count++) % in_flight] = now_ns();
}

/* ---------------------------------------------------------------- reading */

static void record_echo(struct conn *c) {
  uint64_t sent = c->sent_at[c->sent_head];
  c->sent_head = (c->sent_head + 1) % in_flight;
  c->sent_count--;
  if (c->msg_len != (uint64_t)size || c->msg_opcode != (binary ? 2 : 1)) {
    note_error("an echo of the wrong size or opcode");
  } else if (measuring) {
    messages++;
    uint64_t us = (now_ns() - sent) / 1000;
    latency[us < LATENCY_BUCKETS ? us : LATENCY_BUCKETS - 1]++;
    lat_sum += (double)us;
    samples++;
  }
  queue_message(c);
}

/* Inflates n bytes of a compressed message, counting what comes out into msg_len. */
static void inflate_bytes(struct conn *c, const uint8_t *in, size_t n) {
  if (!c->inflater_ready) {
    if (inflateInit2(&c->inflater, -15) != Z_OK) die("%s", "inflateInit2 failed");
    c->inflater_ready = 1;
  }
  c->inflater.next_in = (Bytef *)in;
  c->inflater.avail_in = (uInt)n;
  do {
    c->inflater.next_out = inflate_out;
    c->inflater.avail_out = sizeof inflate_out;
    int rc = inflate(&c->inflater, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      note_error("the server sent invalid deflate data");
      inflateReset(&c->inflater);
      return;
    }
    c->msg_len += sizeof inflate_out - c->inflater.avail_out;
  } while (c->inflater.avail_in > 0 || c->inflater.avail_out == 0);
}

/* A data frame's payload bytes: counted, or inflated when the message is compressed. */
static void message_bytes(struct conn *c, const uint8_t *buf, size_t n) {
  if (c->msg_compressed) inflate_bytes(c, buf, n);
  else c->msg_len += n;
}

/* The end of a frame: a message ends with its FIN frame (an echo server may fragment it). */
static void frame_done(struct conn *c) {
  if (c->frame_opcode == 8) {
    note_error("the server closed the connection");
  } else if (c->frame_opcode < 8 && c->frame_fin) {
    if (c->msg_compressed) inflate_bytes(c, (const uint8_t *)"\0\0\xff\xff", 4);
    record_echo(c);
  }
}

/* Consumes n bytes of frames from buf. */
static void consume(struct conn *c, const uint8_t *buf, size_t n) {
  while (n > 0) {
    if (c->payload_left == 0 && c->hdr_len < 14) {
      /* Reading a header: 2 bytes, then its extended length. */
      c->hdr[c->hdr_len++] = *buf++;
      n--;
      if (c->hdr_len < 2) continue;
      int len7 = c->hdr[1] & 0x7F;
      size_t full = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
      if (c->hdr_len < full) continue;
      uint64_t len = (uint64_t)len7;
      if (len7 == 126) len = (uint64_t)c->hdr[2] << 8 | c->hdr[3];
      if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = len << 8 | c->hdr[2 + i];
      }
      c->frame_opcode = c->hdr[0] & 0x0F;
      c->frame_fin = c->hdr[0] >> 7;
      if (c->frame_opcode == 1 || c->frame_opcode == 2) { /* a message's first frame */
        c->msg_opcode = c->frame_opcode;
        c->msg_compressed = (c->hdr[0] & 0x40) != 0;
        c->msg_len = 0;
      }
      c->payload_left = len;
      c->hdr_len = 0;
      if (len == 0) frame_done(c);
      else c->hdr_len = 14; /* marks "in payload" */
      continue;
    }
    size_t take = n < c->payload_left ? n : (size_t)c->payload_left;
    if (c->frame_opcode < 8) message_bytes(c, buf, take);
    buf += take;
    n -= take;
    c->payload_left -= take;
    if (c->payload_left == 0) {
      c->hdr_len = 0;
      frame_done(c);
    }
  }
}

static void on_readable(struct conn *c) {
  static uint8_t buf[256 * 1024];
  for (;;) {
    ssize_t r = conn_recv(c, buf, sizeof buf);
    if (r < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      note_error(strerror(errno));
      c->open = 0;
      close(c->fd);
      return;
    }
    if (r == 0) {
      note_error("the server closed the connection");
      c->open = 0;
      close(c->fd);
      return;
    }
    if (measuring) wire_in += r;
    consume(c, buf, (size_t)r);
  }
  if (c->out_len > c->out_off && flush_out(c) < 0) note_error("write failed");
}

/* ---------------------------------------------------------------- main */

static void open_all(void) {
  for (long i = 0; i < n_conns; i++) {
    struct conn *c = &conns[i];
    c->sent_at = calloc((size_t)in_flight, sizeof *c->sent_at);
    if (!c->sent_at) die("%s", "out of memory");
    c->next_msg = i;
    c->fd = socket(addr.ss_family, SOCK_STREAM, 0);
    if (c->fd < 0) die("socket: %s", strerror(errno));
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&addr, addr_len) < 0) die("connect: %s", strerror(errno));
    if (tls_on) { /* a blocking socket: the handshake ends or fails here */
      c->ssl = tls_new(c->fd, host_name);
      int rc;
      if (tls_handshake(c->ssl, &rc) != 1) die("TLS handshake failed: %s", tls_error(c->ssl, rc));
    }
    uint8_t nonce[16];
    for (int k = 0; k < 16; k += 8) {
      uint64_t r = next_random();
      memcpy(nonce + k, &r, 8);
    }
    base64(nonce, 16, c->key);
    char req[1600];
    int len = snprintf(req, sizeof req,
                       "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
                       path, host_header, c->key,
                       !deflate_on ? ""
                       : no_context_takeover
                           ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; "
                             "server_no_context_takeover\r\n"
                           : "Sec-WebSocket-Extensions: permessage-deflate\r\n");
    if (conn_send(c, req, (size_t)len) != len) die("%s", "cannot send the request");
    /* Blocking until the whole 101 (outside the measurement); no frame can follow it before ours. */
    char *end;
    while (!(end = strstr(c->head, "\r\n\r\n"))) {
      if (c->head_len == MAX_HEAD) die("%s", "response head too long");
      ssize_t r = conn_recv(c, c->head + c->head_len, MAX_HEAD - c->head_len);
      if (r <= 0) die("%s", "the server closed during the handshake");
      c->head_len += (size_t)r;
      c->head[c->head_len] = 0;
    }
    if (strncmp(c->head, "HTTP/1.1 101", 12) != 0) die("handshake refused: %s", c->head);
    if ((size_t)(end + 4 - c->head) != c->head_len) die("%s", "bytes after the 101 before any message");
    *end = 0; /* the checks below read the response head only */
    char expected[32];
    accept_value(c->key, 24, expected);
    if (!strcasestr(c->head, "sec-websocket-accept") || !strstr(c->head, expected))
      die("%s", "wrong Sec-WebSocket-Accept");
    if (deflate_on && !strcasestr(c->head, "permessage-deflate"))
      die("%s", "the server did not accept permessage-deflate");
    if (!deflate_on && strcasestr(c->head, "sec-websocket-extensions"))
      die("%s", "the server answered with an extension that was not offered");
    c->open = 1;
    if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0) die("fcntl: %s", strerror(errno));
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
  }
}

static void poll_until(double deadline) {
  static struct epoll_event evs[1024];
  while (now_secs() < deadline) {
    int n = epoll_wait(ep, evs, 1024, 10);
    if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (!c->open) continue;
      if (evs[i].events & EPOLLOUT && flush_out(c) < 0) note_error("write failed");
      if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c);
    }
  }
}

static double percentile(double p) {
  if (samples == 0) return 0;
  long long rank = (long long)(p / 100.0 * (double)samples + 0.5), seen = 0;
  if (rank < 1) rank = 1;
  for (long i = 0; i < LATENCY_BUCKETS; i++) {
    seen += latency[i];
    if (seen >= rank) return (double)i;
  }
  return LATENCY_BUCKETS;
}

static const char *usage =
    "usage: c-load --url ws[s]://HOST:PORT/PATH [--connections 100] [--in-flight 16] [--size 64]\n"
    "              [--duration 10] [--warmup 2] [--text|--binary|--json-payload] [--deflate]\n"
    "              [--no-context-takeover] [--server-pid PID] [--json FILE|-] [--quiet]\n";

int main(int argc, char **argv) {
  const char *url = NULL, *json = NULL;
  for (int i = 1; i < argc; i++) {
    char *opt = argv[i];
#define VALUE() (i + 1 < argc ? argv[++i] : (die("%s needs a value", opt), ""))
    if (strcmp(opt, "--url") == 0) url = VALUE();
    else if (strcmp(opt, "--connections") == 0) n_conns = atol(VALUE());
    else if (strcmp(opt, "--in-flight") == 0) in_flight = atol(VALUE());
    else if (strcmp(opt, "--size") == 0) size = atol(VALUE());
    else if (strcmp(opt, "--duration") == 0) duration = atol(VALUE());
    else if (strcmp(opt, "--warmup") == 0) warmup = atol(VALUE());
    else if (strcmp(opt, "--json") == 0) json = VALUE();
    else if (strcmp(opt, "--server-pid") == 0) server_pid = atol(VALUE());
    else if (strcmp(opt, "--text") == 0) binary = 0;
    else if (strcmp(opt, "--binary") == 0) binary = 1;
    else if (strcmp(opt, "--json-payload") == 0) binary = 0, json_payload = 1;
    else if (strcmp(opt, "--deflate") == 0) deflate_on = 1;
    else if (strcmp(opt, "--no-context-takeover") == 0) no_context_takeover = 1;
    else if (strcmp(opt, "--quiet") == 0 || strcmp(opt, "-q") == 0) quiet = 1;
    else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      fputs(usage, stdout);
      return 0;
    } else {
      fprintf(stderr, "c-load: unexpected argument %s\n%s", opt, usage);
      return 2;
    }
#undef VALUE
  }
  if (!url) die("%s", "--url is required");
  if (n_conns < 1 || in_flight < 1 || size < 0 || duration < 1 || warmup < 0)
    die("%s", "--connections, --in-flight and --duration must be at least 1, --size and --warmup >= 0");
  if (no_context_takeover && !deflate_on) die("%s", "--no-context-takeover needs --deflate");
  parse_url(url);
  signal(SIGPIPE, SIG_IGN);
  if (tls_on) tls_setup();
  latency = calloc(LATENCY_BUCKETS, sizeof *latency);
  conns = calloc((size_t)n_conns, sizeof *conns);
  if (!latency || !conns) die("%s", "out of memory");
  build_frames();
  ep = epoll_create1(0);
  double connect_start = now_secs();
  open_all();
  double connect_secs = now_secs() - connect_start;
  for (long i = 0; i < n_conns; i++) {
    for (long k = 0; k < in_flight; k++) queue_message(&conns[i]);
    if (flush_out(&conns[i]) < 0) note_error("write failed");
  }
  poll_until(now_secs() + (double)warmup);
  long long warmup_errors = errors;
  measuring = 1;
  long ticks0 = server_ticks();
  double cpu0 = cpu_secs(), t0 = now_secs();
  poll_until(t0 + (double)duration);
  double secs = now_secs() - t0, cpu = cpu_secs() - cpu0;
  long ticks1 = server_ticks();
  measuring = 0;
  double rate = (double)messages / secs;
  double server_cpu = ticks0 >= 0 && ticks1 >= 0 ? (double)(ticks1 - ticks0) / (double)sysconf(_SC_CLK_TCK) : -1;
  FILE *out = stdout;
  if (json && strcmp(json, "-") != 0) out = fopen(json, "w");
  if (!out) die("cannot write %s", json);
  char server_fields[160] = "";
  if (server_cpu >= 0)
    snprintf(server_fields, sizeof server_fields,
             ",\"serverCpuPercent\":%.1f,\"messagesPerServerCpuSec\":%.1f", server_cpu * 100 / secs,
             server_cpu > 0 ? (double)messages / server_cpu : 0);
  fprintf(out,
          "{\"url\":\"%s\",\"connections\":%ld,\"inFlight\":%ld,\"size\":%ld,\"binary\":%s,"
          "\"payload\":\"%s\",\"tls\":%s,\"deflate\":%s,\"contextTakeover\":%s,"
          "\"durationSecs\":%ld,\"warmupSecs\":%ld,\"connected\":%ld,\"messages\":%lld,"
          "\"measuredSecs\":%.3f,\"messagesPerSec\":%.1f,\"mbPerSec\":%.3f,"
          "\"wireBytesSent\":%lld,\"wireBytesReceived\":%lld,\"payloadBytes\":%lld,"
          "\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f,"
          "\"mean\":%.1f},\"latencySamples\":%lld,\"connectPerSec\":%.1f,\"connectMillis\":%.1f,"
          "\"errors\":%lld,\"firstError\":%s%s%s,\"cpuPercent\":%.1f%s,\"loadGenerator\":\"c-load\"}\n",
          url, n_conns, in_flight, size, binary ? "true" : "false", json_payload ? "json" : "letters",
          tls_on ? "true" : "false", deflate_on ? "true" : "false", deflate_on && !no_context_takeover ? "true" : "false", duration,
          warmup, n_conns, messages, secs, rate, rate * (double)size * 2 / 1e6, wire_out, wire_in,
          messages * size * 2, percentile(50), percentile(90), percentile(99), percentile(99.9),
          percentile(100), samples ? lat_sum / (double)samples : 0, samples,
          (double)n_conns / connect_secs, connect_secs * 1000, errors - warmup_errors,
          first_error[0] ? "\"" : "", first_error[0] ? first_error : "null", first_error[0] ? "\"" : "",
          cpu * 100 / secs, server_fields);
  if (out != stdout) fclose(out);
  if (!quiet)
    fprintf(stderr, "c-load: %.0f msg/s, p50 %.0f us, p99 %.0f us, CPU %.0f%% of one core%s\n", rate,
            percentile(50), percentile(99), cpu * 100 / secs,
            deflate_on ? " (deflate)" : "");
  return errors > warmup_errors ? 1 : 0;
}
