#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
  printf("hello from C, argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
  const char *home = getenv("JSRT_TEST_VAR");
  printf("env: %s\n", home ? home : "(unset)");
  FILE *f = fopen("out.txt", "w");
  if (!f) { perror("fopen"); return 2; }
  fprintf(f, "written by wasm %d\n", 42);
  fclose(f);
  f = fopen("out.txt", "r");
  char buf[64] = {0};
  fgets(buf, sizeof buf, f);
  fclose(f);
  printf("read back: %s", buf);
  long sum = 0; for (int i = 0; i < 1000000; i++) sum += i % 7;
  printf("sum=%ld\n", sum);
  return argc > 2 ? 3 : 0;
}
