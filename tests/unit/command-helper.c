/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A child for test-command: each mode is one behaviour a real program may
 * have (exit, die, flood, hang, ignore SIGTERM, leave a grandchild behind).
 *
 *   exit N            exit with status N
 *   kill-self SIG     die by signal SIG
 *   outerr OUT ERR    write OUT to stdout and ERR to stderr
 *   argv ARG...       print each ARG on its own line
 *   echo-stdin        copy stdin to stdout
 *   close-stdin       close stdin, linger 300 ms, exit 0
 *   env               print the environment, one variable a line
 *   fds               print the open descriptors
 *   sigstate          print SigBlk and SigIgn from /proc/self/status
 *   pgid              print "pid pgid"
 *   nofile            print "soft hard" of RLIMIT_NOFILE
 *   flood N           write N bytes to stdout and N to stderr
 *   sleep             sleep until killed
 *   ignore-term       ignore SIGTERM, print "ready", sleep until killed
 *   grandchild FLAGS  fork a sleeping grandchild, print its pid; FLAGS:
 *                       k  the grandchild keeps stdout/stderr (else /dev/null)
 *                       i  the grandchild ignores SIGTERM
 *                       x  the child exits 0 at once (else it sleeps)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void die(const char *what)
{
    fprintf(stderr, "command-helper: %s: %s\n", what, strerror(errno));
    exit(99);
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("write");
        }
        buf += n;
        len -= (size_t) n;
    }
}

static _Noreturn void sleep_forever(void)
{
    for (;;)
        pause();
}

static int mode_echo_stdin(void)
{
    char buf[65536];
    ssize_t n;

    while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            die("read");
        }
        write_all(STDOUT_FILENO, buf, (size_t) n);
    }
    return 0;
}

static int mode_close_stdin(void)
{
    struct timespec ts = { .tv_sec = 0, .tv_nsec = 300 * 1000000L };

    if (close(STDIN_FILENO) < 0)
        die("close");
    nanosleep(&ts, NULL);
    return 0;
}

static int mode_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *de;
    int self;

    if (!d)
        die("opendir");
    self = dirfd(d);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || atoi(de->d_name) == self)
            continue;
        printf("%s\n", de->d_name);
    }
    closedir(d);
    return 0;
}

static int mode_sigstate(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];

    if (!f)
        die("fopen");
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0)
            fputs(line, stdout);
    }
    fclose(f);
    return 0;
}

static int mode_flood(long n)
{
    char out[4096], err[4096];

    memset(out, 'o', sizeof(out));
    memset(err, 'e', sizeof(err));
    while (n > 0) {
        size_t k = n < (long) sizeof(out) ? (size_t) n : sizeof(out);

        write_all(STDOUT_FILENO, out, k);
        write_all(STDERR_FILENO, err, k);
        n -= (long) k;
    }
    return 0;
}

static int mode_grandchild(const char *flags)
{
    int ready[2];
    char c;
    pid_t pid;

    if (pipe(ready) < 0)
        die("pipe");
    pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        close(ready[0]);
        if (strchr(flags, 'i'))
            signal(SIGTERM, SIG_IGN);
        if (!strchr(flags, 'k')) {
            int null = open("/dev/null", O_RDWR);

            if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
                die("/dev/null");
            close(null);
        }
        /* Set up: tell the child, which then tells the test. */
        close(ready[1]);
        sleep_forever();
    }
    close(ready[1]);
    while (read(ready[0], &c, 1) < 0 && errno == EINTR)
        ;
    close(ready[0]);
    printf("%ld\n", (long) pid);
    fflush(stdout);
    if (strchr(flags, 'x'))
        return 0;
    sleep_forever();
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    if (strcmp(mode, "exit") == 0 && argc > 2)
        return atoi(argv[2]);
    if (strcmp(mode, "kill-self") == 0 && argc > 2) {
        int sig = atoi(argv[2]);

        signal(sig, SIG_DFL);
        raise(sig);
        return 98;
    }
    if (strcmp(mode, "outerr") == 0 && argc > 3) {
        fputs(argv[2], stdout);
        fputs(argv[3], stderr);
        return 0;
    }
    if (strcmp(mode, "argv") == 0) {
        for (int i = 2; i < argc; i++)
            printf("%s\n", argv[i]);
        return 0;
    }
    if (strcmp(mode, "echo-stdin") == 0)
        return mode_echo_stdin();
    if (strcmp(mode, "close-stdin") == 0)
        return mode_close_stdin();
    if (strcmp(mode, "env") == 0) {
        for (char **e = environ; *e; e++)
            printf("%s\n", *e);
        return 0;
    }
    if (strcmp(mode, "fds") == 0)
        return mode_fds();
    if (strcmp(mode, "sigstate") == 0)
        return mode_sigstate();
    if (strcmp(mode, "pgid") == 0) {
        printf("%ld %ld\n", (long) getpid(), (long) getpgid(0));
        return 0;
    }
    if (strcmp(mode, "nofile") == 0) {
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
            die("getrlimit");
        printf("%llu %llu\n", (unsigned long long) rl.rlim_cur, (unsigned long long) rl.rlim_max);
        return 0;
    }
    if (strcmp(mode, "flood") == 0 && argc > 2)
        return mode_flood(atol(argv[2]));
    if (strcmp(mode, "sleep") == 0)
        sleep_forever();
    if (strcmp(mode, "ignore-term") == 0) {
        signal(SIGTERM, SIG_IGN);
        printf("ready\n");
        fflush(stdout);
        sleep_forever();
    }
    if (strcmp(mode, "grandchild") == 0 && argc > 2)
        return mode_grandchild(argv[2]);
    fprintf(stderr, "command-helper: unknown mode '%s'\n", mode);
    return 2;
}
