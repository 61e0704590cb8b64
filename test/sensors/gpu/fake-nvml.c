/*
 * A fake NVML for the GPU sensor tests: the NVML entry points codecarbon calls, plus
 * fake_nvml_* setters the test calls (through koffi) to script devices, MIG slices,
 * counters, powers and per-call errors. Built by the test with `gcc -shared -fPIC`.
 * Return codes are NVML's: 0 success, 3 not supported, 6 not found, 999 unknown.
 *
 * A process the test cannot reach through koffi (the CLI) is scripted by the environment:
 * FAKE_NVML_GPUS="NVIDIA H200=GPU-aaaa@120;NVIDIA L4=GPU-bbbb@30" adds GPUs drawing a
 * constant 120 W and 30 W, their energy counters advancing with the monotonic clock.
 * FAKE_NVML_FAIL_AFTER="energy=3,power=0" makes every GPU's energy calls fail after their
 * next 3 successes and its power calls fail from the first, with 15 (GPU is lost): a GPU
 * that falls off the bus mid-run. It is read at each nvmlInit_v2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_GPUS 16
#define MAX_MIGS 7
#define TEXT 96

enum call { C_NAME, C_UUID, C_ENERGY, C_POWER, C_LIMIT, C_UTIL, C_MEMORY, C_MIG, C_HANDLE, C_COUNT };
static const char *CALL_NAMES[C_COUNT] = {
    "name", "uuid", "energy", "power", "limit", "utilization", "memory", "mig", "handle"};

struct mig {
  int parent;
  char uuid[TEXT];
};

struct gpu {
  char name[TEXT];
  char uuid[TEXT];
  unsigned long long energy_mj;
  unsigned int power_mw, limit_mw, util_gpu, util_memory;
  unsigned long long memory_total, memory_used;
  int mig_count;
  struct mig migs[MAX_MIGS];
  int errors[C_COUNT];
  /* When after_code[c] is set: calls of c that still succeed, then every call fails. */
  int after_calls[C_COUNT];
  int after_code[C_COUNT];
  unsigned int clocked_w; /* > 0: the counter advances by this many W of real time */
};

static struct gpu gpus[MAX_GPUS];
static int gpu_count;
static int init_error;
static int init_calls;

/* ---- setters called by the test ---- */

void fake_nvml_reset(void) {
  memset(gpus, 0, sizeof gpus);
  gpu_count = 0;
  init_error = 0;
  init_calls = 0;
}

void fake_nvml_fail_init(int code) { init_error = code; }

int fake_nvml_init_calls(void) { return init_calls; }

int fake_nvml_add_gpu(const char *name, const char *uuid) {
  if (gpu_count == MAX_GPUS) return -1;
  struct gpu *g = &gpus[gpu_count];
  snprintf(g->name, TEXT, "%s", name);
  snprintf(g->uuid, TEXT, "%s", uuid);
  g->limit_mw = 300000;
  g->memory_total = 80ULL << 30;
  return gpu_count++;
}

void fake_nvml_set_energy(int i, unsigned long long mj) { gpus[i].energy_mj = mj; }
void fake_nvml_add_energy(int i, unsigned long long mj) { gpus[i].energy_mj += mj; }
void fake_nvml_set_power(int i, unsigned int mw) { gpus[i].power_mw = mw; }
void fake_nvml_set_limit(int i, unsigned int mw) { gpus[i].limit_mw = mw; }
void fake_nvml_set_utilization(int i, unsigned int percent) { gpus[i].util_gpu = percent; }

void fake_nvml_add_mig(int i, const char *uuid) {
  struct gpu *g = &gpus[i];
  if (g->mig_count == MAX_MIGS) return;
  g->migs[g->mig_count].parent = i;
  snprintf(g->migs[g->mig_count].uuid, TEXT, "%s", uuid);
  g->mig_count++;
}

static int call_index(const char *call) {
  for (int c = 0; c < C_COUNT; c++) {
    if (strcmp(CALL_NAMES[c], call) == 0) return c;
  }
  return -1;
}

/* Makes `call` ("energy", "power"…) return `code` on GPU `i` until set back to 0. */
int fake_nvml_fail(int i, const char *call, int code) {
  int c = call_index(call);
  if (c < 0) return -1;
  gpus[i].errors[c] = code;
  return 0;
}

/* Makes `call` on GPU `i` succeed `calls` more times, then return `code` on every call. */
int fake_nvml_fail_after(int i, const char *call, int calls, int code) {
  int c = call_index(call);
  if (c < 0) return -1;
  gpus[i].after_calls[c] = calls;
  gpus[i].after_code[c] = code;
  return 0;
}

#define NVML_ERROR_GPU_IS_LOST 15

/* Applies FAKE_NVML_FAIL_AFTER ("call=N,call=N") to every GPU. */
static void fail_after_from_environment(void) {
  const char *spec = getenv("FAKE_NVML_FAIL_AFTER");
  if (!spec) return;
  char copy[256];
  snprintf(copy, sizeof copy, "%s", spec);
  for (char *entry = strtok(copy, ","); entry; entry = strtok(NULL, ",")) {
    char *count = strchr(entry, '=');
    if (!count) continue;
    *count++ = '\0';
    for (int i = 0; i < gpu_count; i++) {
      fake_nvml_fail_after(i, entry, atoi(count), NVML_ERROR_GPU_IS_LOST);
    }
  }
}

/* ---- the NVML API ---- */

static int is_gpu(const void *handle) {
  return handle >= (const void *)&gpus[0] && handle < (const void *)&gpus[gpu_count];
}

static struct mig *as_mig(const void *handle) {
  for (int i = 0; i < gpu_count; i++) {
    for (int m = 0; m < gpus[i].mig_count; m++) {
      if (handle == (const void *)&gpus[i].migs[m]) return &gpus[i].migs[m];
    }
  }
  return NULL;
}

/* The error this call returns now, 0 for success; counts down a pending fail_after. */
static int fail(struct gpu *g, enum call c) {
  if (g->errors[c]) return g->errors[c];
  if (!g->after_code[c]) return 0;
  if (g->after_calls[c] == 0) return g->after_code[c];
  g->after_calls[c]--;
  return 0;
}

#define CHECK(g, c)                                                                          \
  do {                                                                                       \
    int error_ = fail(g, c);                                                                 \
    if (error_) return error_;                                                               \
  } while (0)

static double now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

/* Adds the GPUs FAKE_NVML_GPUS describes, once, to an empty fake. */
static void script_from_environment(void) {
  const char *spec = getenv("FAKE_NVML_GPUS");
  if (!spec || gpu_count > 0) return;
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", spec);
  for (char *entry = strtok(copy, ";"); entry; entry = strtok(NULL, ";")) {
    char *uuid = strchr(entry, '=');
    char *watts = uuid ? strchr(uuid, '@') : NULL;
    if (!uuid || !watts) continue;
    *uuid++ = '\0';
    *watts++ = '\0';
    int i = fake_nvml_add_gpu(entry, uuid);
    if (i < 0) return;
    gpus[i].clocked_w = (unsigned int)atoi(watts);
    gpus[i].power_mw = gpus[i].clocked_w * 1000;
    gpus[i].energy_mj = 1000000ULL - (unsigned long long)(now_ms() * gpus[i].clocked_w) % 1000000ULL;
  }
}

int nvmlInit_v2(void) {
  init_calls++;
  script_from_environment();
  fail_after_from_environment();
  return init_error;
}

int nvmlShutdown(void) { return 0; }

const char *nvmlErrorString(int code) {
  switch (code) {
  case 0: return "Success";
  case 3: return "Not Supported";
  case 6: return "Not Found";
  case 9: return "Driver Not Loaded";
  case 15: return "GPU is lost";
  default: return "Unknown Error";
  }
}

int nvmlDeviceGetCount_v2(unsigned int *count) {
  *count = (unsigned int)gpu_count;
  return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) {
  if (index >= (unsigned int)gpu_count) return 2;
  CHECK(&gpus[index], C_HANDLE);
  *device = &gpus[index];
  return 0;
}

int nvmlDeviceGetName(void *device, char *name, unsigned int length) {
  if (!is_gpu(device)) return 2;
  struct gpu *g = device;
  CHECK(g, C_NAME);
  snprintf(name, length, "%s", g->name);
  return 0;
}

int nvmlDeviceGetUUID(void *device, char *uuid, unsigned int length) {
  struct mig *m = as_mig(device);
  if (m) {
    snprintf(uuid, length, "%s", m->uuid);
    return 0;
  }
  if (!is_gpu(device)) return 2;
  struct gpu *g = device;
  CHECK(g, C_UUID);
  snprintf(uuid, length, "%s", g->uuid);
  return 0;
}

int nvmlDeviceGetTotalEnergyConsumption(void *device, unsigned long long *energy) {
  if (!is_gpu(device)) return 3;
  struct gpu *g = device;
  CHECK(g, C_ENERGY);
  *energy = g->energy_mj + (unsigned long long)(g->clocked_w * now_ms());
  return 0;
}

int nvmlDeviceGetPowerUsage(void *device, unsigned int *power) {
  if (!is_gpu(device)) return 3;
  struct gpu *g = device;
  CHECK(g, C_POWER);
  *power = g->power_mw;
  return 0;
}

int nvmlDeviceGetEnforcedPowerLimit(void *device, unsigned int *limit) {
  if (!is_gpu(device)) return 3;
  struct gpu *g = device;
  CHECK(g, C_LIMIT);
  *limit = g->limit_mw;
  return 0;
}

struct utilization { unsigned int gpu, memory; };

int nvmlDeviceGetUtilizationRates(void *device, struct utilization *rates) {
  if (!is_gpu(device)) return 3;
  struct gpu *g = device;
  CHECK(g, C_UTIL);
  rates->gpu = g->util_gpu;
  rates->memory = g->util_memory;
  return 0;
}

struct memory { unsigned long long total, free, used; };

int nvmlDeviceGetMemoryInfo(void *device, struct memory *memory) {
  if (!is_gpu(device)) return 3;
  struct gpu *g = device;
  CHECK(g, C_MEMORY);
  memory->total = g->memory_total;
  memory->used = g->memory_used;
  memory->free = g->memory_total - g->memory_used;
  return 0;
}

int nvmlDeviceGetMigMode(void *device, unsigned int *current, unsigned int *pending) {
  if (!is_gpu(device)) return 2;
  struct gpu *g = device;
  CHECK(g, C_MIG);
  *current = *pending = g->mig_count > 0 ? 1 : 0;
  return 0;
}

int nvmlDeviceGetMaxMigDeviceCount(void *device, unsigned int *count) {
  if (!is_gpu(device)) return 2;
  *count = MAX_MIGS;
  return 0;
}

int nvmlDeviceGetMigDeviceHandleByIndex(void *device, unsigned int index, void **mig) {
  if (!is_gpu(device)) return 2;
  struct gpu *g = device;
  if (index >= (unsigned int)g->mig_count) return 6;
  *mig = &g->migs[index];
  return 0;
}
