/* virnetsocket.c: frame assembly and the write queue over a non-blocking UNIX socket */
/*
 * Threads: one thread (the owner's I/O thread or loop) calls Read; any
 * thread may Queue and Flush. @lock guards @out and @outOffset, so writes
 * of whole frames never interleave; the read state is touched by the
 * reading thread alone. No call blocks.
 */
#define G_LOG_DOMAIN "virtkit.rpc.socket"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "virerror.h"
#include "virnetsocket.h"

#define VIR_FROM_THIS VIR_FROM_RPC

struct _virNetSocket {
    int fd;

    /* Input (I/O thread only). */
    guint8 lenbuf[4];
    size_t lenHave; /* bytes of the length word read */
    guint8 *frame;  /* allocated once the length word is valid */
    size_t frameLen;
    size_t frameHave;
    virNetMessage *fdMsg; /* complete *_WITH_FDS frame awaiting its fds */
    size_t fdsWanted;

    /* Output. */
    GMutex lock;
    gint queued;        /* atomic: length of @out, read without @lock */
    GQueue out;         /* virNetMessage *, head is being written */
    size_t queuedBytes; /* @lock: sum of the lengths of @out's frames */
    size_t outOffset;   /* bytes of the head already written */
    size_t outFds;      /* descriptors of the head already passed */
};

static int
socketSetFlags(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
        return -1;
    return 0;
}

virNetSocket *
virNetSocketNew(int fd)
{
    virNetSocket *sock;

    if (socketSetFlags(fd) < 0) {
        virReportSystemError(errno, "%s", "Unable to set socket flags");
        close(fd);
        return NULL;
    }
    sock = g_new0(virNetSocket, 1);
    sock->fd = fd;
    g_mutex_init(&sock->lock);
    g_queue_init(&sock->out);
    return sock;
}

static int
socketFillAddr(struct sockaddr_un *sa, const char *path)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa->sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "UNIX socket path '%s' too long", path);
        return -1;
    }
    strcpy(sa->sun_path, path);
    return 0;
}

virNetSocket *
virNetSocketNewConnectUnix(const char *path)
{
    struct sockaddr_un sa;
    int fd;

    if (socketFillAddr(&sa, path) < 0)
        return NULL;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        virReportSystemError(errno, "%s", "Failed to create socket");
        return NULL;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        virReportSystemError(errno, "Failed to connect socket to '%s'", path);
        close(fd);
        return NULL;
    }
    return virNetSocketNew(fd);
}

void
virNetSocketFree(virNetSocket *sock)
{
    if (!sock)
        return;
    if (sock->fd >= 0)
        close(sock->fd);
    g_free(sock->frame);
    virNetMessageFree(sock->fdMsg);
    g_queue_clear_full(&sock->out, (GDestroyNotify)virNetMessageFree);
    g_mutex_clear(&sock->lock);
    g_free(sock);
}

int
virNetSocketGetFD(virNetSocket *sock)
{
    return sock->fd;
}

/* read() that maps EOF to a reported error. Returns bytes read, 0 when it
 * would block, -1 on error, -2 on EOF. */
static ssize_t
socketReadSome(virNetSocket *sock, void *buf, size_t len)
{
    ssize_t n;

retry:
    n = read(sock->fd, buf, len);
    if (n > 0)
        return n;
    if (n == 0) {
        virReportSystemError(EIO, "%s", "End of file while reading data");
        return -2;
    }
    if (errno == EINTR)
        goto retry;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return 0;
    if (errno == ECONNRESET) {
        virReportSystemError(EIO, "%s", "End of file while reading data");
        return -2;
    }
    virReportSystemError(errno, "%s", "Cannot recv data");
    return -1;
}

/* Receive the descriptors of sock->fdMsg: each comes as its own 1-byte
 * message carrying one SCM_RIGHTS fd. Returns 1 when all are in, 0 if it
 * would block, -1 on error, -2 on EOF (errors reported). */
static int
socketReadFDs(virNetSocket *sock)
{
    virNetMessage *msg = sock->fdMsg;

    while (msg->nfds < sock->fdsWanted) {
        char byte;
        struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
        union {
            struct cmsghdr hdr;
            char buf[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct msghdr mh = {
            .msg_iov = &iov,
            .msg_iovlen = 1,
            .msg_control = ctl.buf,
            .msg_controllen = sizeof(ctl.buf),
        };
        struct cmsghdr *c;
        ssize_t n;
        int fd = -1;

        n = recvmsg(sock->fd, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            virReportSystemError(errno, "%s", "Cannot recv data");
            return -1;
        }
        if (n == 0) {
            virReportSystemError(EIO, "%s", "End of file while reading data");
            return -2;
        }
        for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                c->cmsg_len >= CMSG_LEN(sizeof(int))) {
                size_t k, count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                int *fds = (int *)CMSG_DATA(c);
                for (k = 0; k < count; k++) {
                    if (fd < 0)
                        fd = fds[k];
                    else
                        close(fds[k]); /* one per message; extras refused */
                }
            }
        }
        if (fd < 0) {
            virReportError(VIR_ERR_RPC, "%s", "Missing file descriptor");
            return -1;
        }
        msg->fds[msg->nfds++] = fd;
    }
    return 1;
}

virNetSocketStatus
virNetSocketRead(virNetSocket *sock, unsigned int maxFrames, virNetSocketFrameFunc cb,
                 void *opaque)
{
    unsigned int frames = 0;

    for (;;) {
        ssize_t n;

        if (sock->fdMsg) {
            int rc = socketReadFDs(sock);
            virNetMessage *msg;

            if (rc == 0)
                return VIR_NET_SOCKET_OK;
            if (rc < 0)
                return rc == -2 ? VIR_NET_SOCKET_EOF : VIR_NET_SOCKET_ERROR;
            msg = g_steal_pointer(&sock->fdMsg);
            frames++;
            if (!cb(sock, msg, opaque))
                return VIR_NET_SOCKET_OK;
            continue;
        }

        if (maxFrames && frames >= maxFrames)
            return VIR_NET_SOCKET_OK;

        if (!sock->frame) {
            uint32_t len;

            n = socketReadSome(sock, sock->lenbuf + sock->lenHave, 4 - sock->lenHave);
            if (n == 0)
                return VIR_NET_SOCKET_OK;
            if (n < 0)
                return n == -2 ? VIR_NET_SOCKET_EOF : VIR_NET_SOCKET_ERROR;
            sock->lenHave += n;
            if (sock->lenHave < 4)
                continue;

            len = ((uint32_t)sock->lenbuf[0] << 24) | ((uint32_t)sock->lenbuf[1] << 16) |
                  ((uint32_t)sock->lenbuf[2] << 8) | sock->lenbuf[3];
            if (virNetMessageDecodeLength(sock->lenbuf) == 0) {
                if (len < VIR_NET_MESSAGE_MIN_FRAME)
                    virReportError(
                        VIR_ERR_RPC,
                        "packet %u bytes received from server too small, want %u", len,
                        VIR_NET_MESSAGE_MIN_FRAME);
                else
                    virReportError(
                        VIR_ERR_RPC,
                        "packet %u bytes received from server too large, want %u", len,
                        VIR_NET_MESSAGE_MAX);
                return VIR_NET_SOCKET_ERROR;
            }
            /* Only now, with a length within the limits, allocate. */
            sock->frame = g_malloc(len);
            memcpy(sock->frame, sock->lenbuf, 4);
            sock->frameLen = len;
            sock->frameHave = 4;
        }

        n = socketReadSome(sock, sock->frame + sock->frameHave,
                           sock->frameLen - sock->frameHave);
        if (n == 0)
            return VIR_NET_SOCKET_OK;
        if (n < 0)
            return n == -2 ? VIR_NET_SOCKET_EOF : VIR_NET_SOCKET_ERROR;
        sock->frameHave += n;
        if (sock->frameHave == sock->frameLen) {
            virNetMessage *msg =
                virNetMessageFromFrame(g_steal_pointer(&sock->frame), sock->frameLen);
            int nfds;

            sock->lenHave = 0;
            sock->frameLen = sock->frameHave = 0;
            /* Lengths were checked above, so this cannot fail. */
            g_assert(msg);
            nfds = virNetMessageDecodeNumFDs(msg);
            if (nfds < 0) {
                virReportError(VIR_ERR_RPC, "%s",
                               "Unable to decode number of FDs (at most 32)");
                virNetMessageFree(msg);
                return VIR_NET_SOCKET_ERROR;
            }
            if (nfds > 0) {
                /* The descriptors follow the frame, one message each. */
                msg->fds = g_new(int, nfds);
                sock->fdMsg = msg;
                sock->fdsWanted = nfds;
                continue;
            }
            frames++;
            if (!cb(sock, msg, opaque))
                return VIR_NET_SOCKET_OK;
        }
    }
}

void
virNetSocketQueue(virNetSocket *sock, virNetMessage *msg)
{
    g_mutex_lock(&sock->lock);
    g_queue_push_tail(&sock->out, msg);
    g_atomic_int_inc(&sock->queued);
    sock->queuedBytes += msg->len;
    g_mutex_unlock(&sock->lock);
}

void
virNetSocketQueueUrgent(virNetSocket *sock, virNetMessage *msg)
{
    g_mutex_lock(&sock->lock);
    if (sock->outOffset > 0 && !g_queue_is_empty(&sock->out)) {
        /* The head is half written: go right after it. */
        g_queue_push_nth(&sock->out, msg, 1);
    } else {
        g_queue_push_head(&sock->out, msg);
    }
    g_atomic_int_inc(&sock->queued);
    sock->queuedBytes += msg->len;
    g_mutex_unlock(&sock->lock);
}

bool
virNetSocketHasOutput(virNetSocket *sock)
{
    /* Lock-free: the reading thread asks this on every round, while
     * callers hold @lock to write. */
    return g_atomic_int_get(&sock->queued) > 0;
}

void
virNetSocketQueued(virNetSocket *sock, unsigned int *frames, size_t *bytes)
{
    g_mutex_lock(&sock->lock);
    *frames = g_atomic_int_get(&sock->queued);
    *bytes = sock->queuedBytes;
    g_mutex_unlock(&sock->lock);
}

int
virNetSocketFlush(virNetSocket *sock)
{
    int rc = virNetSocketTryFlush(sock);

    if (rc < 0) {
        virReportSystemError(-rc, "%s", "Cannot write data");
        return -1;
    }
    return 0;
}

/* Pass descriptor @fd as libvirt does: its own message of one 0 byte
 * carrying one SCM_RIGHTS fd. Bytes sent (1), or -1 with errno. */
static ssize_t
socketSendFD(int sockfd, int fd)
{
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct msghdr mh = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = ctl.buf,
        .msg_controllen = sizeof(ctl.buf),
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

    memset(&ctl, 0, sizeof(ctl));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    return sendmsg(sockfd, &mh, MSG_NOSIGNAL);
}

int
virNetSocketTryFlush(virNetSocket *sock)
{
    g_mutex_lock(&sock->lock);
    for (;;) {
        virNetMessage *msg = g_queue_peek_head(&sock->out);
        ssize_t n;

        if (!msg)
            break;
        if (sock->outOffset == msg->len) {
            /* the frame is out: its descriptors follow, one message each */
            n = socketSendFD(sock->fd, msg->fds[sock->outFds]);
        } else {
            n = send(sock->fd, msg->buf + sock->outOffset, msg->len - sock->outOffset,
                     MSG_NOSIGNAL);
        }
        if (n < 0) {
            int err = errno;
            if (err == EINTR)
                continue;
            if (err == EAGAIN || err == EWOULDBLOCK)
                break;
            g_mutex_unlock(&sock->lock);
            return -err;
        }
        if (sock->outOffset == msg->len)
            sock->outFds++;
        else
            sock->outOffset += n;
        if (sock->outOffset == msg->len && sock->outFds == msg->nfds) {
            g_queue_pop_head(&sock->out);
            g_atomic_int_dec_and_test(&sock->queued);
            sock->queuedBytes -= msg->len;
            virNetMessageFree(msg);
            sock->outOffset = 0;
            sock->outFds = 0;
        }
    }
    g_mutex_unlock(&sock->lock);
    return 0;
}

int
virNetSocketGetPeerCred(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
    struct ucred cr;
    socklen_t len = sizeof(cr);

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
        virReportSystemError(errno, "%s", "Failed to get client socket identity");
        return -1;
    }
    if (pid)
        *pid = cr.pid;
    if (uid)
        *uid = cr.uid;
    if (gid)
        *gid = cr.gid;
    return 0;
}

int
virNetSocketListenUnix(const char *path, mode_t mode)
{
    struct sockaddr_un sa;
    int fd;

    if (socketFillAddr(&sa, path) < 0)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        virReportSystemError(errno, "%s", "Failed to create socket");
        return -1;
    }
    if (unlink(path) < 0 && errno != ENOENT) {
        virReportSystemError(errno, "Failed to remove stale socket '%s'", path);
        goto error;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        virReportSystemError(errno, "Failed to bind socket to '%s'", path);
        goto error;
    }
    if (chmod(path, mode) < 0) {
        virReportSystemError(errno, "Failed to set permissions on '%s'", path);
        goto error;
    }
    if (listen(fd, 256) < 0) {
        virReportSystemError(errno, "Failed to listen on '%s'", path);
        goto error;
    }
    return fd;

error:
    close(fd);
    return -1;
}
