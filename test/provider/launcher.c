/*
 * Native launcher for the Node test provider. Terraform executes provider packages directly, and
 * only a real executable (an ELF mapped as program text while it runs) lets tests reproduce what
 * happens when one init rewrites a provider binary that another process is running
 * ("text file busy"). So this program stays alive as the parent of node instead of exec'ing into
 * it, and makes the kernel kill node when it dies (terraform kills only its direct child).
 *
 * launcher_config.h, generated at build time, defines NODE_BIN and NODE_MODULES (C string literals).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "launcher_config.h"

static pid_t child = -1;

static void forward(int sig) {
  if (child > 0) kill(child, sig);
}

int main(void) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n < 0) {
    perror("testprov launcher: readlink /proc/self/exe");
    return 1;
  }
  exe[n] = '\0';
  char script[PATH_MAX + 32];
  strcpy(script, exe);
  char *slash = strrchr(script, '/');
  if (slash == NULL) return 1;
  strcpy(slash + 1, "provider.cjs");

  setenv("NODE_PATH", NODE_MODULES, 1);
  pid_t parent = getpid();
  child = fork();
  if (child < 0) {
    perror("testprov launcher: fork");
    return 1;
  }
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1); /* the launcher died before prctl took effect */
    execl(NODE_BIN, NODE_BIN, script, exe, (char *)NULL);
    perror("testprov launcher: exec node");
    _exit(127);
  }
  signal(SIGTERM, forward);
  signal(SIGINT, forward);
  signal(SIGHUP, forward);
  int status;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      perror("testprov launcher: waitpid");
      return 1;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
