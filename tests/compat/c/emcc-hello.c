/* Built by crates/jsrt/tests/compat.rs with Debian's emcc (default Node target) and run as
 * `jsrt emcc-hello.js first second`: arguments, printf of doubles, malloc past the initial
 * memory (memory growth from emscripten's JS), a file written and read back through
 * emscripten's in-memory file system, stderr, and the exit code. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("hello from emscripten, argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);

  double s = 0;
  for (int i = 1; i <= 1000; i++) s += sqrt((double)i);
  printf("sqrt sum=%.6f\n", s);

  size_t big = 64u << 20; /* 64 MiB: more than the 16 MiB emscripten starts with */
  unsigned char *p = malloc(big);
  if (!p) { fprintf(stderr, "malloc failed\n"); return 1; }
  for (size_t i = 0; i < big; i++) p[i] = (unsigned char)(i ^ (i >> 12));
  unsigned long sum = 0;
  for (size_t i = 0; i < big; i += 4096) sum += p[i];
  printf("big block sum=%lu\n", sum);
  free(p);

  FILE *f = fopen("/tmp-note.txt", "w");
  fprintf(f, "written by wasm %d\n", 42);
  fclose(f);
  char line[64] = {0};
  f = fopen("/tmp-note.txt", "r");
  fgets(line, sizeof line, f);
  fclose(f);
  printf("read back: %s", line);

  fprintf(stderr, "to stderr\n");
  return 3;
}
