/* f64 inner loop with compare-and-branch: escape-time Mandelbrot set over a grid. */
#include "workload.h"

#define GRID 400
#define MAX_ITERATIONS 256
static volatile u32 mandelbrot_reps = 8;

/* Iterations before z = z^2 + c leaves the radius-2 disc, up to MAX_ITERATIONS. */
static u32 escape_time(double cr, double ci) {
  double zr = 0.0, zi = 0.0;
  u32 n = 0;
  while (n < MAX_ITERATIONS) {
    double zr2 = zr * zr, zi2 = zi * zi;
    if (zr2 + zi2 > 4.0) break;
    zi = 2.0 * zr * zi + ci;
    zr = zr2 - zi2 + cr;
    n++;
  }
  return n;
}

EXPORT u32 run(void) {
  u32 reps = mandelbrot_reps;
  u32 h = 0x811c9dc5u;
  for (u32 r = 0; r < reps; r++) {
    /* shift the view a little per repetition so repetitions differ */
    double left = -2.0 + 0.001 * r, top = -1.25;
    double step = 2.5 / GRID;
    for (u32 y = 0; y < GRID; y++) {
      double ci = top + step * y;
      for (u32 x = 0; x < GRID; x++) h = fnv_mix(h, escape_time(left + step * x, ci));
    }
  }
  return h;
}
