/*
 * A fake AMD SMI for the GPU sensor tests: the amdsmi entry points codecarbon calls, plus
 * fake_amd_* setters the test calls (through koffi) to script GPUs, energy accumulators,
 * power caps and per-call errors. Built by the test with `gcc -shared -fPIC`.
 * Status codes are AMD SMI's: 0 success, 2 not supported, 32 not initialised.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_GPUS 16
#define NOT_INIT 32

enum call { C_NAME, C_UUID, C_ENERGY, C_CAP, C_ACTIVITY, C_VRAM, C_BDF, C_COUNT };
static const char *CALL_NAMES[C_COUNT] = {"name", "uuid", "energy", "cap", "activity", "vram", "bdf"};

struct gpu {
  char name[256];
  char uuid[64];
  uint64_t accumulator;
  float resolution_uj;
  uint64_t cap_uw;
  uint32_t gfx_activity;
  uint32_t vram_total_mb, vram_used_mb;
  uint64_t bdfid;
  int errors[C_COUNT];
};

static struct gpu gpus[MAX_GPUS];
static int gpu_count;
static int socket_token;
static int init_error;
static int initialised;

/* ---- setters called by the test ---- */

void fake_amd_reset(void) {
  memset(gpus, 0, sizeof gpus);
  gpu_count = 0;
  init_error = 0;
  initialised = 0;
}

void fake_amd_fail_init(int code) { init_error = code; }

/* The library forgets its initialisation, as after a driver reload. */
void fake_amd_forget_init(void) { initialised = 0; }

int fake_amd_add_gpu(const char *name, const char *uuid, uint64_t bdfid) {
  if (gpu_count == MAX_GPUS) return -1;
  struct gpu *g = &gpus[gpu_count];
  snprintf(g->name, sizeof g->name, "%s", name);
  snprintf(g->uuid, sizeof g->uuid, "%s", uuid);
  g->resolution_uj = 15.3f;
  g->cap_uw = 500000000ULL;
  g->vram_total_mb = 65536;
  g->bdfid = bdfid;
  return gpu_count++;
}

void fake_amd_set_energy(int i, uint64_t accumulator, float resolution_uj) {
  gpus[i].accumulator = accumulator;
  gpus[i].resolution_uj = resolution_uj;
}
void fake_amd_set_cap(int i, uint64_t microwatts) { gpus[i].cap_uw = microwatts; }
void fake_amd_set_activity(int i, uint32_t percent) { gpus[i].gfx_activity = percent; }
void fake_amd_set_vram(int i, uint32_t total_mb, uint32_t used_mb) {
  gpus[i].vram_total_mb = total_mb;
  gpus[i].vram_used_mb = used_mb;
}

int fake_amd_fail(int i, const char *call, int code) {
  for (int c = 0; c < C_COUNT; c++) {
    if (strcmp(CALL_NAMES[c], call) == 0) {
      gpus[i].errors[c] = code;
      return 0;
    }
  }
  return -1;
}

/* ---- the AMD SMI API ---- */

static struct gpu *as_gpu(void *handle) {
  for (int i = 0; i < gpu_count; i++) {
    if (handle == (void *)&gpus[i]) return &gpus[i];
  }
  return NULL;
}

/* Status of `call` on `handle`: not initialised, unknown handle, scripted error, or 0. */
static int check(void *handle, enum call c) {
  if (!initialised) return NOT_INIT;
  struct gpu *g = as_gpu(handle);
  if (!g) return 1;
  return g->errors[c];
}

int amdsmi_init(uint64_t flags) {
  (void)flags;
  if (init_error) return init_error;
  initialised = 1;
  return 0;
}

int amdsmi_shut_down(void) {
  initialised = 0;
  return 0;
}

int amdsmi_status_code_to_string(int status, const char **text) {
  switch (status) {
  case 0: *text = "AMDSMI_STATUS_SUCCESS: Call succeeded"; break;
  case 2: *text = "AMDSMI_STATUS_NOT_SUPPORTED: Command not supported"; break;
  case NOT_INIT: *text = "AMDSMI_STATUS_NOT_INIT: Device not initialized"; break;
  default: *text = "AMDSMI_STATUS_UNKNOWN_ERROR: An unknown error occurred"; break;
  }
  return 0;
}

int amdsmi_get_socket_handles(uint32_t *count, void **sockets) {
  if (!initialised) return NOT_INIT;
  if (sockets == NULL || *count == 0) {
    *count = gpu_count > 0 ? 1 : 0;
    return 0;
  }
  *count = gpu_count > 0 ? 1 : 0;
  if (gpu_count > 0) sockets[0] = &socket_token;
  return 0;
}

int amdsmi_get_processor_handles(void *socket, uint32_t *count, void **handles) {
  if (!initialised) return NOT_INIT;
  if (socket != &socket_token) return 1;
  if (handles == NULL || *count == 0) {
    *count = (uint32_t)gpu_count;
    return 0;
  }
  uint32_t n = *count < (uint32_t)gpu_count ? *count : (uint32_t)gpu_count;
  for (uint32_t i = 0; i < n; i++) handles[i] = &gpus[i];
  *count = n;
  return 0;
}

struct asic_info {
  char market_name[256];
  uint32_t vendor_id;
};

int amdsmi_get_gpu_asic_info(void *handle, struct asic_info *info) {
  int status = check(handle, C_NAME);
  if (status) return status;
  snprintf(info->market_name, sizeof info->market_name, "%s", as_gpu(handle)->name);
  info->vendor_id = 0x1002;
  return 0;
}

int amdsmi_get_gpu_device_uuid(void *handle, unsigned int *length, char *uuid) {
  int status = check(handle, C_UUID);
  if (status) return status;
  snprintf(uuid, *length, "%s", as_gpu(handle)->uuid);
  *length = (unsigned int)strlen(uuid);
  return 0;
}

int amdsmi_get_energy_count(void *handle, uint64_t *accumulator, float *resolution,
                            uint64_t *timestamp) {
  int status = check(handle, C_ENERGY);
  if (status) return status;
  *accumulator = as_gpu(handle)->accumulator;
  *resolution = as_gpu(handle)->resolution_uj;
  *timestamp = 0;
  return 0;
}

struct power_cap_info { uint64_t power_cap, default_power_cap, dpm_cap, min_cap, max_cap; };

int amdsmi_get_power_cap_info(void *handle, uint32_t sensor, struct power_cap_info *info) {
  (void)sensor;
  int status = check(handle, C_CAP);
  if (status) return status;
  info->power_cap = as_gpu(handle)->cap_uw;
  return 0;
}

struct engine_usage { uint32_t gfx_activity, umc_activity, mm_activity; };

int amdsmi_get_gpu_activity(void *handle, struct engine_usage *usage) {
  int status = check(handle, C_ACTIVITY);
  if (status) return status;
  usage->gfx_activity = as_gpu(handle)->gfx_activity;
  return 0;
}

struct vram_usage { uint32_t vram_total, vram_used; };

int amdsmi_get_gpu_vram_usage(void *handle, struct vram_usage *usage) {
  int status = check(handle, C_VRAM);
  if (status) return status;
  usage->vram_total = as_gpu(handle)->vram_total_mb;
  usage->vram_used = as_gpu(handle)->vram_used_mb;
  return 0;
}

int amdsmi_get_gpu_bdf_id(void *handle, uint64_t *bdfid) {
  int status = check(handle, C_BDF);
  if (status) return status;
  *bdfid = as_gpu(handle)->bdfid;
  return 0;
}
