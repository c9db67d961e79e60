/* The kernels of kernels.c as a native program (clang -O2): the limit in bench/kernels.
 * Usage: native KERNEL N — prints the same line as run.js. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "kernels.c"

int main(int argc, char **argv) {
    static const char *names[] = {"fib", "sieve", "sha256", "matmul", "nbody", "crc32"};
    if (argc < 3) return 2;
    for (int k = 0; k < 6; k++) {
        if (strcmp(argv[1], names[k]) != 0) continue;
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        double r = run(k, atoi(argv[2]));
        clock_gettime(CLOCK_MONOTONIC, &b);
        printf("%s(%s) = %.17g in %.1f ms\n", names[k], argv[2], r, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
        return 0;
    }
    return 2;
}
