/* The floor for any shim: a static libc-only program that does nothing but
 * execv the real node. bench/shim.sh builds it and times it beside the shim. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    (void)argc;
    execv(NODE_PATH, argv);
    perror("execv");
    return 127;
}
