import { execFileSync } from 'node:child_process';

/**
 * What a SLURM job was given on this node. Inside a job the node is shared: the job's CPUs
 * and memory, not the node's, describe the work. Read from the variables SLURM sets in every
 * job and step; `scontrol show job` is asked only when they do not say (a shell that kept
 * only the job id), once, without a shell and with a short timeout.
 */
export interface SlurmJob {
  jobId: string;
  /** CPUs allocated to the job on this node; undefined when nothing says. */
  cpuCount: number | undefined;
  /** Memory allocated to the job on this node, bytes; undefined when nothing says. */
  memoryBytes: number | undefined;
  /** Where each number came from: `SLURM_CPUS_ON_NODE`, `scontrol show job 42`… */
  cpuSource: string | undefined;
  memorySource: string | undefined;
  /** Why a number could not be found (said once by the sensor selection). */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

/** Runs `scontrol show job <id>` and returns its output, or undefined on any failure. */
export type RunScontrol = (jobId: string) => string | undefined;

const MIB = 1024 ** 2;
const SCONTROL_TIMEOUT_MS = 2000;

/** The job this process runs in, or undefined outside SLURM. */
export function readSlurmJob(
  env: Env,
  runScontrol: RunScontrol = scontrolShowJob,
): SlurmJob | undefined {
  const jobId = env.SLURM_JOB_ID ?? env.SLURM_JOBID;
  if (jobId === undefined || jobId.trim() === '') return undefined;

  const job: SlurmJob = {
    jobId: jobId.trim(),
    ...cpusFromEnv(env),
    memoryBytes: undefined,
    memorySource: undefined,
    warnings: [],
  };
  Object.assign(job, memoryFromEnv(env, job.cpuCount));
  if (job.cpuCount !== undefined && job.memoryBytes !== undefined) return job;

  const output = /^\d[\w.+]*$/.test(job.jobId) ? runScontrol(job.jobId) : undefined;
  if (output === undefined) {
    job.warnings.push(
      `SLURM job ${job.jobId}: the environment does not give its ${job.cpuCount === undefined ? 'CPU count' : 'memory'} and \`scontrol show job\` failed; the node's is used.`,
    );
    return job;
  }
  const parsed = parseScontrolJob(output);
  const source = `scontrol show job ${job.jobId}`;
  if (job.cpuCount === undefined && parsed.cpuCount !== undefined) {
    Object.assign(job, { cpuCount: parsed.cpuCount, cpuSource: source });
  }
  if (job.memoryBytes === undefined && parsed.memoryBytes !== undefined) {
    Object.assign(job, { memoryBytes: parsed.memoryBytes, memorySource: source });
  }
  job.warnings.push(...parsed.problems.map((problem) => `SLURM job ${job.jobId}: ${problem}`));
  return job;
}

/**
 * `NumCPUs=` and the `mem=` of `AllocTRES=` (else `TRES=`) from `scontrol show job`. A job
 * spanning several nodes gives job-wide totals, which say nothing of this node: then nothing.
 */
export function parseScontrolJob(text: string): {
  cpuCount?: number;
  memoryBytes?: number;
  problems: string[];
} {
  const problems: string[] = [];
  const nodes = single(text, /(?:^|\s)NumNodes=(\d+)/g);
  if (nodes !== undefined && Number(nodes) > 1) {
    return {
      problems: [`it spans ${nodes} nodes and scontrol gives job totals only; node values used`],
    };
  }

  const cpus = single(text, /(?:^|\s)NumCPUs=(\d+)/g);
  if (cpus === undefined) problems.push('no single NumCPUs in scontrol output; node CPUs used');
  const tres =
    single(text, /(?:^|\s)AllocTRES=(\S*)/g) ?? single(text, /(?:^|\s)TRES=(\S*)/g) ?? '';
  const memory = single(tres, /(?:^|,)mem=([\d.]+[KMGTP]?)(?:,|$)/g);
  const memoryBytes = memory === undefined ? undefined : slurmSizeBytes(memory);
  if (memoryBytes === undefined) problems.push('no single mem= in its TRES; node memory used');
  return {
    ...(cpus !== undefined ? { cpuCount: Number(cpus) } : {}),
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    problems,
  };
}

/**
 * The memory a model should use inside a job: the job's allocation when it is below what the
 * host (or its container limit) has. Unchanged outside SLURM or when the job gives no size.
 */
export function withJobMemory(
  memory: { totalBytes: number; fromContainerLimit: boolean } | undefined,
  job: SlurmJob | undefined,
): { totalBytes: number; fromContainerLimit: boolean; fromSlurmJob?: boolean } | undefined {
  if (job?.memoryBytes === undefined) return memory;
  if (memory !== undefined && memory.totalBytes <= job.memoryBytes) return memory;
  return { totalBytes: job.memoryBytes, fromContainerLimit: false, fromSlurmJob: true };
}

/** A SLURM size: a number of MiB, or with a K/M/G/T/P suffix (powers of 1024, as SLURM). */
export function slurmSizeBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGTP]?)$/i.exec(text.trim());
  if (!match) return undefined;
  const exponent = 'KMGTP'.indexOf((match[2] || 'M').toUpperCase()) + 1;
  return Math.round(Number(match[1]) * 1024 ** exponent);
}

/**
 * Evidence that several ranks of one job run on this node, each with its own tracker:
 * `SLURM_NTASKS_PER_NODE=4`, `SLURM_LOCALID=2`, `LOCAL_WORLD_SIZE=8` (torchrun) or a
 * `LOCAL_RANK` above 0. Undefined when nothing says so.
 */
export function severalRanksEvidence(env: Env): string | undefined {
  const above = (name: string, limit: number) => {
    const value = env[name]?.trim();
    return value !== undefined && /^\d+$/.test(value) && Number(value) > limit
      ? `${name}=${value}`
      : undefined;
  };
  return (
    above('SLURM_NTASKS_PER_NODE', 1) ??
    above('SLURM_LOCALID', 0) ??
    above('LOCAL_WORLD_SIZE', 1) ??
    above('LOCAL_RANK', 0)
  );
}

/** The warning for machine mode when several ranks share the node. */
export function severalRanksWarning(evidence: string): string {
  return (
    `Several ranks of this job appear to run on this node (${evidence}). In machine mode each ` +
    'rank measures the whole node, so node energy will be counted once per rank. Use ' +
    'tracking_mode=process, or track from one rank per node (local rank 0).'
  );
}

function cpusFromEnv(env: Env): { cpuCount: number | undefined; cpuSource: string | undefined } {
  const onNode = positiveInteger(env.SLURM_CPUS_ON_NODE);
  if (onNode !== undefined) return { cpuCount: onNode, cpuSource: 'SLURM_CPUS_ON_NODE' };

  // `72(x2),36`: 72 CPUs on each of the first two nodes, 36 on the third.
  const perNode = env.SLURM_JOB_CPUS_PER_NODE?.trim();
  const nodeIndex = positiveInteger(env.SLURM_NODEID) ?? 0;
  const counts = perNode === undefined ? [] : expandPerNode(perNode);
  const count = counts[nodeIndex];
  return count === undefined
    ? { cpuCount: undefined, cpuSource: undefined }
    : { cpuCount: count, cpuSource: 'SLURM_JOB_CPUS_PER_NODE' };
}

function memoryFromEnv(
  env: Env,
  cpuCount: number | undefined,
): Pick<SlurmJob, 'memoryBytes' | 'memorySource'> | undefined {
  const perNode = sizeOf(env.SLURM_MEM_PER_NODE);
  if (perNode !== undefined) return { memoryBytes: perNode, memorySource: 'SLURM_MEM_PER_NODE' };

  const perCpu = sizeOf(env.SLURM_MEM_PER_CPU);
  if (perCpu !== undefined && cpuCount !== undefined) {
    return { memoryBytes: perCpu * cpuCount, memorySource: 'SLURM_MEM_PER_CPU × CPUs' };
  }
  const perGpu = sizeOf(env.SLURM_MEM_PER_GPU);
  const gpus = positiveInteger(env.SLURM_GPUS_ON_NODE);
  if (perGpu !== undefined && gpus !== undefined) {
    return { memoryBytes: perGpu * gpus, memorySource: 'SLURM_MEM_PER_GPU × SLURM_GPUS_ON_NODE' };
  }
  return undefined;
}

function expandPerNode(text: string): number[] {
  const counts: number[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim());
    if (!match) return [];
    const repeat = Number(match[2] ?? 1);
    for (let i = 0; i < repeat && counts.length < 100_000; i += 1) counts.push(Number(match[1]));
  }
  return counts;
}

function sizeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const bytes = slurmSizeBytes(text);
  return bytes !== undefined && bytes > 0 ? bytes : undefined;
}

function positiveInteger(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || !/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value > 0 ? value : undefined;
}

/** The only capture of `pattern` in `text`; undefined when absent or repeated (ambiguous). */
function single(text: string, pattern: RegExp): string | undefined {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 1 ? matches[0]?.[1] : undefined;
}

/** `scontrol show job <id>`: no shell, no stdin, 2 s at most. Detection time only. */
function scontrolShowJob(jobId: string): string | undefined {
  try {
    return execFileSync('scontrol', ['show', 'job', jobId], {
      encoding: 'utf8',
      timeout: SCONTROL_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: MIB,
    });
  } catch {
    return undefined;
  }
}

/** `SLURM job 4242 on this node: 8 CPUs (SLURM_CPUS_ON_NODE), 32 GiB (scontrol show job 4242)`. */
export function describeSlurmJob(job: SlurmJob): string {
  const cpus =
    job.cpuCount === undefined
      ? 'CPUs unknown (node count used)'
      : `${job.cpuCount} CPUs (${job.cpuSource})`;
  const memory =
    job.memoryBytes === undefined
      ? 'memory unknown (node memory used)'
      : `${(job.memoryBytes / 1024 ** 3).toFixed(3)} GiB (${job.memorySource})`;
  return `SLURM job ${job.jobId} on this node: ${cpus}, ${memory}`;
}

/** The job for JSON output: every field present, null when unknown; null outside SLURM. */
export function slurmReport(job: SlurmJob | undefined): Record<string, unknown> | null {
  if (job === undefined) return null;
  return {
    jobId: job.jobId,
    cpuCount: job.cpuCount ?? null,
    cpuSource: job.cpuSource ?? null,
    memoryBytes: job.memoryBytes ?? null,
    memorySource: job.memorySource ?? null,
    warnings: job.warnings,
  };
}
