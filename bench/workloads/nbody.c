/* f64 arithmetic with sqrt: gravitational n-body simulation over an array of body structs. */
#include "workload.h"

#define BODY_COUNT 8

typedef struct {
  double x, y, z;
  double vx, vy, vz;
  double mass;
} Body;

static Body bodies[BODY_COUNT];
static volatile u32 nbody_steps = 500000;

/* Pseudo-random value in [-0.5, 0.5). */
static double random_unit(u32 *state) { return (double)(lcg_next(state) >> 8) * (1.0 / 16777216.0) - 0.5; }

static void place_bodies(void) {
  u32 state = 7u;
  for (u32 i = 0; i < BODY_COUNT; i++) {
    Body *b = &bodies[i];
    b->x = 10.0 * random_unit(&state);
    b->y = 10.0 * random_unit(&state);
    b->z = 10.0 * random_unit(&state);
    b->vx = 0.1 * random_unit(&state);
    b->vy = 0.1 * random_unit(&state);
    b->vz = 0.1 * random_unit(&state);
    b->mass = 1.0 + random_unit(&state);
  }
}

static void advance(double dt) {
  for (u32 i = 0; i < BODY_COUNT; i++) {
    Body *a = &bodies[i];
    for (u32 j = i + 1; j < BODY_COUNT; j++) {
      Body *b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      double distance2 = dx * dx + dy * dy + dz * dz + 0.01; /* softened */
      double distance = __builtin_sqrt(distance2);
      double magnitude = dt / (distance2 * distance);
      a->vx -= dx * b->mass * magnitude;
      a->vy -= dy * b->mass * magnitude;
      a->vz -= dz * b->mass * magnitude;
      b->vx += dx * a->mass * magnitude;
      b->vy += dy * a->mass * magnitude;
      b->vz += dz * a->mass * magnitude;
    }
  }
  for (u32 i = 0; i < BODY_COUNT; i++) {
    Body *b = &bodies[i];
    b->x += dt * b->vx;
    b->y += dt * b->vy;
    b->z += dt * b->vz;
  }
}

static double energy(void) {
  double e = 0.0;
  for (u32 i = 0; i < BODY_COUNT; i++) {
    Body *a = &bodies[i];
    e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
    for (u32 j = i + 1; j < BODY_COUNT; j++) {
      Body *b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz + 0.01);
    }
  }
  return e;
}

EXPORT u32 run(void) {
  u32 steps = nbody_steps;
  place_bodies();
  u32 check = fold64(f64_bits(energy()));
  for (u32 s = 0; s < steps; s++) advance(0.001);
  return check * 31u + fold64(f64_bits(energy()));
}
