/*
 * A minimal WebSocket echo server in C: the machine's ceiling in the benchmark report.
 *
 * One thread, level-triggered epoll, non-blocking sockets. Each data frame is echoed as it arrives,
 * unmasked, with the same opcode and FIN bit (frame by frame, so fragmented messages are echoed
 * fragmented); pings get pongs, a close gets a close and then the socket is closed. The echoes
 * produced by one readiness event are written with one write(); what the socket does not take is
 * kept and written on EPOLLOUT (never dropped), and reading pauses while too much is pending.
 * No extension or subprotocol is negotiated. SHA-1 and base64 come from ws-accept.h (no libcrypto).
 *
 * Build: gcc -O2 -Wall -Wextra -o benchmarks/target/c-echo benchmarks/peers/c-echo.c
 * Run:   benchmarks/target/c-echo PORT   (0 = any free port; listens on 127.0.0.1, prints "PORT n")
 */
#define _GNU_SOURCE
#include <errno.h>
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
#include <unistd.h>

#define READ_CHUNK (256 * 1024)         /* shared read buffer */
#define MAX_HANDSHAKE 16384             /* a longer request head is refused */
#define MAX_FRAME (64ull * 1024 * 1024) /* a longer frame closes the connection */
#define PAUSE_READING (4 * 1024 * 1024) /* pending output above which input is not read */
#define FLUSH_AT (1024 * 1024)          /* staged output written before reading on */
#define KEEP_BUFFER (64 * 1024)         /* an emptied buffer larger than this is freed */

#include "ws-accept.h"

/* ---------------------------------------------------------------- buffers */

struct buf {
  uint8_t *p;
  size_t len, cap, off; /* off: bytes already written (output buffers only) */
};

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void buf_reserve(struct buf *b, size_t extra) {
  if (b->cap - b->len >= extra) return;
  if (b->off > 0) { /* compact first: the written prefix is dead */
    memmove(b->p, b->p + b->off, b->len - b->off);
    b->len -= b->off;
    b->off = 0;
    if (b->cap - b->len >= extra) return;
  }
  size_t cap = b->cap ? b->cap : 4096;
  while (cap - b->len < extra) cap *= 2;
  uint8_t *p = realloc(b->p, cap);
  if (!p) die("realloc");
  b->p = p;
  b->cap = cap;
}

static void buf_append(struct buf *b, const void *data, size_t n) {
  buf_reserve(b, n);
  memcpy(b->p + b->len, data, n);
  b->len += n;
}

static void buf_release_if_big(struct buf *b) {
  if (b->len == 0 && b->cap > KEEP_BUFFER) {
    free(b->p);
    b->p = NULL;
    b->cap = 0;
  }
}

/* ---------------------------------------------------------------- connections */

struct conn {
  int fd;
  int open;       /* handshake done */
  int closing;    /* close the socket once the output is written */
  uint32_t events; /* current epoll interest */
  size_t need;    /* bytes the partial frame in `in` needs in total, when known */
  struct buf in;  /* unprocessed input (partial handshake or frame) */
  struct buf out; /* output the socket did not take yet */
};

static int ep;
static uint8_t rbuf[READ_CHUNK];
static struct buf stage; /* echoes of one readiness event, written at once */

static void conn_close(struct conn *c) {
  close(c->fd); /* also removes it from the epoll set */
  free(c->in.p);
  free(c->out.p);
  free(c);
}

static void set_interest(struct conn *c) {
  size_t pending = c->out.len - c->out.off;
  uint32_t ev = 0;
  if (!c->closing && pending < PAUSE_READING) ev |= EPOLLIN;
  if (pending > 0) ev |= EPOLLOUT;
  if (ev == c->events) return;
  struct epoll_event e = {.events = ev, .data.ptr = c};
  if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e) < 0) die("epoll_ctl mod");
  c->events = ev;
}

/* Writes as much of p[0..n) as the socket takes; returns the count, or -1 when the socket failed. */
static ssize_t write_some(int fd, const uint8_t *p, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(fd, p + done, n - done);
    if (w > 0) {
      done += (size_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else {
      return -1;
    }
  }
  return (ssize_t)done;
}

/* Writes the connection's pending output; returns -1 when the connection is gone (freed). */
static int flush_pending(struct conn *c) {
  if (c->out.len > c->out.off) {
    ssize_t w = write_some(c->fd, c->out.p + c->out.off, c->out.len - c->out.off);
    if (w < 0) {
      conn_close(c);
      return -1;
    }
    c->out.off += (size_t)w;
    if (c->out.off == c->out.len) {
      c->out.off = c->out.len = 0;
      buf_release_if_big(&c->out);
    }
  }
  if (c->closing && c->out.len == 0) {
    conn_close(c);
    return -1;
  }
  set_interest(c);
  return 0;
}

/* Writes what was staged for this connection (or queues it behind its pending output). */
static int flush_stage(struct conn *c) {
  if (stage.len > 0) {
    if (c->out.len > c->out.off) {
      buf_append(&c->out, stage.p, stage.len);
    } else {
      ssize_t w = write_some(c->fd, stage.p, stage.len);
      if (w < 0) {
        stage.len = 0;
        conn_close(c);
        return -1;
      }
      if ((size_t)w < stage.len) buf_append(&c->out, stage.p + w, stage.len - (size_t)w);
    }
    stage.len = 0;
  }
  return flush_pending(c);
}

static void frame_header(struct buf *out, int fin_op, uint64_t len) {
  uint8_t h[10];
  size_t n;
  h[0] = (uint8_t)fin_op;
  if (len < 126) {
    h[1] = (uint8_t)len;
    n = 2;
  } else if (len < 65536) {
    h[1] = 126;
    h[2] = (uint8_t)(len >> 8);
    h[3] = (uint8_t)len;
    n = 4;
  } else {
    h[1] = 127;
    for (int i = 0; i < 8; i++) h[2 + i] = (uint8_t)(len >> (56 - 8 * i));
    n = 10;
  }
  buf_append(out, h, n);
}

/* Appends the unmasked payload to out. */
static void unmask_into(struct buf *out, const uint8_t *src, size_t n, const uint8_t mask[4]) {
  buf_reserve(out, n);
  uint8_t *dst = out->p + out->len;
  uint32_t m32;
  memcpy(&m32, mask, 4);
  uint64_t m64 = (uint64_t)m32 << 32 | m32; /* the mask twice, in memory order */
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, src + i, 8);
    v ^= m64;
    memcpy(dst + i, &v, 8);
  }
  for (; i < n; i++) dst[i] = src[i] ^ mask[i & 3];
  out->len += n;
}

static const uint8_t *find_head_end(const uint8_t *p, size_t n) {
  for (size_t i = 3; i < n; i++)
    if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' && p[i - 3] == '\r') return p + i + 1;
  return NULL;
}

/* Answers the request head p[0..n) (ending with CRLF CRLF); returns 0, or -1 to close. */
static int handshake(const uint8_t *p, size_t n) {
  if (n < 4 || memcmp(p, "GET ", 4) != 0) return -1;
  static const char name[] = "sec-websocket-key:";
  const char *key = NULL;
  size_t klen = 0;
  const uint8_t *line = p, *end = p + n;
  while (line < end) {
    const uint8_t *eol = memchr(line, '\n', (size_t)(end - line));
    if (!eol) break;
    if ((size_t)(eol - line) > sizeof name - 1 && strncasecmp((const char *)line, name, sizeof name - 1) == 0) {
      const uint8_t *v = line + sizeof name - 1, *ve = eol;
      while (v < ve && (*v == ' ' || *v == '\t')) v++;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      key = (const char *)v;
      klen = (size_t)(ve - v);
    }
    line = eol + 1;
  }
  if (!key || klen == 0 || klen > 128) return -1;
  char acc[32];
  accept_value(key, klen, acc);
  char resp[192];
  int len = snprintf(resp, sizeof resp,
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                     acc);
  buf_append(&stage, resp, (size_t)len);
  return 0;
}

/*
 * Consumes what it can of p[0..n): the request head, then whole frames, staging the answers.
 * Returns the bytes consumed, or -1 when the connection must be closed (protocol error).
 */
static ssize_t process(struct conn *c, const uint8_t *p, size_t n) {
  size_t pos = 0;
  c->need = 0;
  if (!c->open) {
    const uint8_t *end = find_head_end(p, n);
    if (!end) return n > MAX_HANDSHAKE ? -1 : 0;
    if (handshake(p, (size_t)(end - p)) < 0) {
      static const char bad[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      buf_append(&stage, bad, sizeof bad - 1);
      c->closing = 1;
      return (ssize_t)n;
    }
    c->open = 1;
    pos = (size_t)(end - p);
  }
  while (n - pos >= 2 && !c->closing) {
    const uint8_t *f = p + pos;
    size_t avail = n - pos;
    int fin = f[0] & 0x80, op = f[0] & 0x0F;
    uint64_t len = f[1] & 0x7F;
    size_t hdr = 2;
    if ((f[0] & 0x70) || !(f[1] & 0x80)) return -1; /* RSV without extension, or unmasked */
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t)f[2] << 8 | f[3];
      hdr = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | f[2 + i];
      hdr = 10;
    }
    if (len > MAX_FRAME) return -1;
    if (op >= 8 && (!fin || len > 125)) return -1;
    hdr += 4;
    if (avail < hdr + len) {
      c->need = hdr + (size_t)len;
      break;
    }
    const uint8_t *mask = f + hdr - 4, *payload = f + hdr;
    switch (op) {
      case 0x0: /* continuation */
      case 0x1: /* text */
      case 0x2: /* binary */
        frame_header(&stage, f[0], len);
        unmask_into(&stage, payload, (size_t)len, mask);
        break;
      case 0x8: /* close: answer with the same status code, then close the socket */
        if (len == 1) return -1;
        frame_header(&stage, 0x88, len >= 2 ? 2 : 0);
        if (len >= 2) unmask_into(&stage, payload, 2, mask);
        c->closing = 1;
        break;
      case 0x9: /* ping */
        frame_header(&stage, 0x8A, len);
        unmask_into(&stage, payload, (size_t)len, mask);
        break;
      case 0xA: /* pong */
        break;
      default:
        return -1;
    }
    pos += hdr + (size_t)len;
  }
  return (ssize_t)pos;
}

static void on_readable(struct conn *c) {
  stage.len = 0;
  for (;;) {
    uint8_t *dst;
    size_t space;
    if (c->in.len > 0) { /* a partial head or frame: read straight behind it */
      size_t want = c->need > c->in.len ? c->need - c->in.len : 0;
      buf_reserve(&c->in, want > 16384 ? want : 16384);
      dst = c->in.p + c->in.len;
      space = c->in.cap - c->in.len;
    } else {
      dst = rbuf;
      space = sizeof rbuf;
    }
    ssize_t r = read(c->fd, dst, space);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (r <= 0) { /* end of stream, or reset */
      conn_close(c);
      return;
    }
    ssize_t used;
    if (dst == rbuf) {
      used = process(c, rbuf, (size_t)r);
      if (used >= 0 && used < r) buf_append(&c->in, rbuf + used, (size_t)(r - used));
    } else {
      c->in.len += (size_t)r;
      used = process(c, c->in.p, c->in.len);
      if (used > 0) {
        memmove(c->in.p, c->in.p + used, c->in.len - (size_t)used);
        c->in.len -= (size_t)used;
      }
    }
    if (used < 0) {
      conn_close(c);
      return;
    }
    if (c->closing) {
      c->in.len = 0;
      break;
    }
    buf_release_if_big(&c->in);
    if ((size_t)r < space) break; /* drained; level-triggered epoll reports more */
    if (stage.len >= FLUSH_AT) {
      if (flush_stage(c) < 0) return;
      if (!(c->events & EPOLLIN)) return; /* too much pending: stop reading */
    }
  }
  flush_stage(c);
}

static void on_accept(int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) perror("accept");
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct conn *c = calloc(1, sizeof *c);
    if (!c) die("calloc");
    c->fd = fd;
    c->events = EPOLLIN;
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e) < 0) {
      perror("epoll_ctl add");
      close(fd);
      free(c);
    }
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  signal(SIGPIPE, SIG_IGN);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (lfd < 0) die("socket");
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
  if (listen(lfd, 4096) < 0) die("listen");
  socklen_t alen = sizeof a;
  if (getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) die("getsockname");
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  struct epoll_event le = {.events = EPOLLIN, .data.ptr = NULL}; /* NULL: the listening socket */
  if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &le) < 0) die("epoll_ctl listen");
  printf("PORT %d\n", ntohs(a.sin_port));
  fflush(stdout);

  struct epoll_event evs[1024];
  for (;;) {
    int n = epoll_wait(ep, evs, 1024, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait");
    }
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      uint32_t ev = evs[i].events;
      if (!c) {
        on_accept(lfd);
      } else if (ev & EPOLLERR) {
        conn_close(c);
      } else if (ev & EPOLLOUT) {
        /* Write first: it may resume reading, and pending output goes before new echoes. */
        if (flush_pending(c) == 0 && (ev & (EPOLLIN | EPOLLHUP)) && (c->events & EPOLLIN)) on_readable(c);
      } else if (ev & (EPOLLIN | EPOLLHUP)) {
        on_readable(c);
      }
    }
  }
}
