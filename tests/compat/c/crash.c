// Divides by zero two calls below main (tests/compat.rs): jsrt's stack trace names these
// lines (DWARF with -g, emcc's source map with -gsource-map); Node's the same functions.
#include <stdlib.h>
__attribute__((noinline)) int divide(int a, int b) {
  return a / b;
}
__attribute__((noinline)) int compute(int n) {
  int zero = n - atoi("5");
  return divide(n * 3, zero) + 1;
}
int main(int argc, char **argv) {
  return compute(argc + 4);
}
