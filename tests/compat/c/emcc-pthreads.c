// A C program with POSIX threads, built with Debian's emscripten (`-pthread`, a pool of
// workers started before main): four threads share counters through a mutex, a condition
// variable and C11 atomics, one prints from its thread (emscripten proxies the write to the
// main thread), and main joins them (crates/jsrt/tests/compat.rs, compared with Node).
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define THREADS 4
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_ready = PTHREAD_COND_INITIALIZER;
static int ready = 0;
static long total = 0;
static atomic_long hits = 0;

static void *work(void *arg) {
  long id = (long)arg, sum = 0;
  pthread_mutex_lock(&lock);
  if (++ready == THREADS) pthread_cond_broadcast(&all_ready);
  while (ready < THREADS) pthread_cond_wait(&all_ready, &lock);
  pthread_mutex_unlock(&lock);
  for (long i = id; i < 2000000; i += THREADS) {
    sum += i % 7;
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
  }
  pthread_mutex_lock(&lock);
  total += sum;
  pthread_mutex_unlock(&lock);
  if (id == 0) printf("hello from thread %ld\n", id);
  return (void *)sum;
}

int main(void) {
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, work, (void *)i);
  long joined = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    joined += (long)r;
  }
  printf("threads %d total %ld joined %ld hits %ld\n", THREADS, total, joined, atomic_load(&hits));
  return total == joined ? 0 : 1;
}
