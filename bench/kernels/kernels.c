/* Compute kernels for bench/kernels: freestanding C (no libc), built to wasm32 and to native
 * code from this one file. Each kernel is `double kernel_<name>(int n)`, returning a checksum
 * so that no compiler drops the work; `run(k, n)` picks one (the wasm export). */

typedef unsigned int u32;
typedef unsigned long long u64;

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
double kernel_fib(int n) { return fib(n); }

/* Sieve of Eratosthenes up to 2,000,000, n times. */
static unsigned char composite[2000001];
double kernel_sieve(int n) {
    u32 count = 0;
    for (int r = 0; r < n; r++) {
        for (u32 i = 0; i <= 2000000; i++) composite[i] = 0;
        count = 0;
        for (u32 i = 2; i <= 2000000; i++) {
            if (composite[i]) continue;
            count++;
            for (u64 j = (u64)i * i; j <= 2000000; j += i) composite[j] = 1;
        }
    }
    return count;
}

/* SHA-256 of a 1 MiB buffer, n times (each round hashes the previous digest into it). */
static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
#define ROR(x, r) (((x) >> (r)) | ((x) << (32 - (r))))
static void sha256_block(u32 h[8], const unsigned char *p) {
    u32 w[64];
    for (int i = 0; i < 16; i++) w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        u32 s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        u32 t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        u32 t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}
static unsigned char buffer[1 << 20];
double kernel_sha256(int n) {
    u32 h[8] = {0};
    for (u32 i = 0; i < sizeof buffer; i++) buffer[i] = (unsigned char)(i * 31 + 7);
    for (int r = 0; r < n; r++) {
        u32 s[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        for (u32 off = 0; off < sizeof buffer; off += 64) sha256_block(s, buffer + off);
        for (int i = 0; i < 8; i++) { h[i] ^= s[i]; buffer[i] = (unsigned char)s[i]; }
    }
    return h[0] ^ h[7];
}

/* 200x200 double matrix product, n times. */
#define M 200
static double ma[M][M], mb[M][M], mc[M][M];
double kernel_matmul(int n) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) { ma[i][j] = (i * 7 + j) % 13 * 0.5; mb[i][j] = (i + j * 3) % 11 * 0.25; }
    double sum = 0;
    for (int r = 0; r < n; r++) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                double s = 0;
                for (int k = 0; k < M; k++) s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        sum += mc[r % M][(r * 7) % M];
        ma[r % M][r % M] += 1.0;
    }
    return sum;
}

/* The n-body simulation of the Benchmarks Game, five bodies, n steps. */
typedef struct { double x, y, z, vx, vy, vz, mass; } Body;
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS 365.24
static Body bodies[5];
static void nbody_init(void) {
    Body b[5] = {
        {0, 0, 0, 0, 0, 0, SOLAR_MASS},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS, 7.69901118419740425e-03 * DAYS, -6.90460016972063023e-05 * DAYS, 9.54791938424326609e-04 * SOLAR_MASS},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS, 4.99852801234917238e-03 * DAYS, 2.30417297573763929e-05 * DAYS, 2.85885980666130812e-04 * SOLAR_MASS},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS, 2.37847173959480950e-03 * DAYS, -2.96589568540237556e-05 * DAYS, 4.36624404335156298e-05 * SOLAR_MASS},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS, 1.62824170038242295e-03 * DAYS, -9.51592254519715870e-05 * DAYS, 5.15138902046611451e-05 * SOLAR_MASS}};
    for (int i = 0; i < 5; i++) bodies[i] = b[i];
}
double kernel_nbody(int n) {
    nbody_init();
    for (int s = 0; s < n; s++) {
        for (int i = 0; i < 5; i++)
            for (int j = i + 1; j < 5; j++) {
                double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y, dz = bodies[i].z - bodies[j].z;
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = 0.01 / (d2 * __builtin_sqrt(d2));
                bodies[i].vx -= dx * bodies[j].mass * mag; bodies[i].vy -= dy * bodies[j].mass * mag; bodies[i].vz -= dz * bodies[j].mass * mag;
                bodies[j].vx += dx * bodies[i].mass * mag; bodies[j].vy += dy * bodies[i].mass * mag; bodies[j].vz += dz * bodies[i].mass * mag;
            }
        for (int i = 0; i < 5; i++) { bodies[i].x += 0.01 * bodies[i].vx; bodies[i].y += 0.01 * bodies[i].vy; bodies[i].z += 0.01 * bodies[i].vz; }
    }
    return bodies[0].x + bodies[1].y + bodies[4].vz;
}

/* CRC-32 (table-driven) of the 1 MiB buffer, n times. */
static u32 crc_table[256];
double kernel_crc32(int n) {
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    for (u32 i = 0; i < sizeof buffer; i++) buffer[i] = (unsigned char)(i * 13 + 1);
    u32 crc = 0;
    for (int r = 0; r < n; r++) {
        crc = 0xffffffff;
        for (u32 i = 0; i < sizeof buffer; i++) crc = crc_table[(crc ^ buffer[i]) & 0xff] ^ (crc >> 8);
        crc ^= 0xffffffff;
        buffer[r % sizeof buffer] ^= (unsigned char)crc;
    }
    return crc;
}

#ifdef __wasm__
__attribute__((export_name("run")))
#endif
double run(int kernel, int n) {
    switch (kernel) {
    case 0: return kernel_fib(n);
    case 1: return kernel_sieve(n);
    case 2: return kernel_sha256(n);
    case 3: return kernel_matmul(n);
    case 4: return kernel_nbody(n);
    case 5: return kernel_crc32(n);
    }
    return -1;
}
