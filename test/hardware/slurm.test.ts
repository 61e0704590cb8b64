import { describe, expect, it, vi } from 'vitest';
import {
  parseScontrolJob,
  readSlurmJob,
  severalRanksEvidence,
  slurmSizeBytes,
  withJobMemory,
} from '../../src/hardware/slurm.js';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

const SCONTROL = `JobId=4242 JobName=train
   UserId=ada(1000) GroupId=ada(1000) MCS_label=N/A
   NumNodes=1 NumCPUs=8 NumTasks=1 CPUs/Task=8 ReqB:S:C:T=0:0:*:*
   ReqTRES=cpu=1,mem=42K,node=1,billing=1
   AllocTRES=cpu=8,mem=32G,node=1,billing=8,gres/gpu=2
`;

describe('readSlurmJob', () => {
  it('is undefined outside a job', () => {
    expect(readSlurmJob({ SLURM_CPUS_ON_NODE: '8' })).toBeUndefined();
  });

  it('takes the CPUs and memory on this node from the job environment, without scontrol', () => {
    const scontrol = vi.fn(() => SCONTROL);
    const job = readSlurmJob(
      { SLURM_JOB_ID: '4242', SLURM_CPUS_ON_NODE: '16', SLURM_MEM_PER_NODE: '65536' },
      scontrol,
    );
    expect(job).toEqual({
      jobId: '4242',
      cpuCount: 16,
      cpuSource: 'SLURM_CPUS_ON_NODE',
      memoryBytes: 64 * GIB,
      memorySource: 'SLURM_MEM_PER_NODE',
      warnings: [],
    });
    expect(scontrol).not.toHaveBeenCalled();
  });

  it('reads this node’s entry of SLURM_JOB_CPUS_PER_NODE and multiplies SLURM_MEM_PER_CPU', () => {
    const job = readSlurmJob(
      {
        SLURM_JOBID: '7',
        SLURM_JOB_CPUS_PER_NODE: '72(x2),36',
        SLURM_NODEID: '2',
        SLURM_MEM_PER_CPU: '2G',
      },
      () => undefined,
    );
    expect(job).toMatchObject({ cpuCount: 36, memoryBytes: 72 * GIB, warnings: [] });
  });

  it('asks scontrol (once) only for what the environment does not give', () => {
    const scontrol = vi.fn(() => SCONTROL);
    const job = readSlurmJob({ SLURM_JOB_ID: '4242', SLURM_CPUS_ON_NODE: '4' }, scontrol);
    expect(scontrol).toHaveBeenCalledTimes(1);
    expect(scontrol).toHaveBeenCalledWith('4242');
    expect(job).toMatchObject({
      cpuCount: 4,
      cpuSource: 'SLURM_CPUS_ON_NODE',
      memoryBytes: 32 * GIB,
      memorySource: 'scontrol show job 4242',
    });
  });

  it('keeps the node’s values with a warning when scontrol fails', () => {
    const job = readSlurmJob({ SLURM_JOB_ID: '4242' }, () => undefined);
    expect(job).toMatchObject({ cpuCount: undefined, memoryBytes: undefined });
    expect(job?.warnings).toEqual([
      "SLURM job 4242: the environment does not give its CPU count and `scontrol show job` failed; the node's is used.",
    ]);
  });

  it('never passes a job id that could read as an option', () => {
    const scontrol = vi.fn(() => SCONTROL);
    readSlurmJob({ SLURM_JOB_ID: '--help' }, scontrol);
    expect(scontrol).not.toHaveBeenCalled();
  });
});

describe('parseScontrolJob', () => {
  it('reads NumCPUs and AllocTRES mem (not ReqTRES)', () => {
    expect(parseScontrolJob(SCONTROL)).toEqual({
      cpuCount: 8,
      memoryBytes: 32 * GIB,
      problems: [],
    });
  });

  it('falls back to TRES= when there is no AllocTRES', () => {
    const text = '   NumNodes=1 NumCPUs=2\n   TRES=cpu=2,mem=50000M,node=1\n';
    expect(parseScontrolJob(text).memoryBytes).toBe(50_000 * MIB);
  });

  it('gives nothing for duplicated or missing fields', () => {
    const text = '   NumCPUs=8 NumCPUs=16\n   AllocTRES=cpu=8,node=1\n';
    expect(parseScontrolJob(text)).toEqual({
      problems: [
        'no single NumCPUs in scontrol output; node CPUs used',
        'no single mem= in its TRES; node memory used',
      ],
    });
  });

  it('gives nothing for a job spanning several nodes (totals, not this node)', () => {
    const text = '   NumNodes=2 NumCPUs=64\n   AllocTRES=cpu=64,mem=256G,node=2\n';
    expect(parseScontrolJob(text).cpuCount).toBeUndefined();
    expect(parseScontrolJob(text).memoryBytes).toBeUndefined();
  });
});

describe('slurmSizeBytes', () => {
  it('reads SLURM sizes in powers of 1024, MiB by default', () => {
    expect(slurmSizeBytes('4096')).toBe(4 * GIB);
    expect(slurmSizeBytes('128G')).toBe(128 * GIB);
    expect(slurmSizeBytes('2T')).toBe(2048 * GIB);
    expect(slurmSizeBytes('500M')).toBe(500 * MIB);
    expect(slurmSizeBytes('42K')).toBe(42 * 1024);
    expect(slurmSizeBytes('lots')).toBeUndefined();
  });
});

describe('withJobMemory', () => {
  const host = { totalBytes: 512 * GIB, fromContainerLimit: false };

  it('uses the job allocation when it is below the host memory', () => {
    const job = readSlurmJob({
      SLURM_JOB_ID: '1',
      SLURM_CPUS_ON_NODE: '1',
      SLURM_MEM_PER_NODE: '8G',
    });
    expect(withJobMemory(host, job)).toEqual({
      totalBytes: 8 * GIB,
      fromContainerLimit: false,
      fromSlurmJob: true,
    });
  });

  it('keeps a smaller container limit, and the host outside SLURM', () => {
    const job = readSlurmJob({
      SLURM_JOB_ID: '1',
      SLURM_CPUS_ON_NODE: '1',
      SLURM_MEM_PER_NODE: '8G',
    });
    const container = { totalBytes: 4 * GIB, fromContainerLimit: true };
    expect(withJobMemory(container, job)).toBe(container);
    expect(withJobMemory(host, undefined)).toBe(host);
  });
});

describe('severalRanksEvidence', () => {
  it('sees several ranks per node from SLURM or torchrun-style variables', () => {
    expect(severalRanksEvidence({ SLURM_NTASKS_PER_NODE: '4' })).toBe('SLURM_NTASKS_PER_NODE=4');
    expect(severalRanksEvidence({ SLURM_LOCALID: '3' })).toBe('SLURM_LOCALID=3');
    expect(severalRanksEvidence({ LOCAL_WORLD_SIZE: '8', LOCAL_RANK: '0' })).toBe(
      'LOCAL_WORLD_SIZE=8',
    );
    expect(severalRanksEvidence({ LOCAL_RANK: '1' })).toBe('LOCAL_RANK=1');
  });

  it('sees one rank when each says so', () => {
    expect(severalRanksEvidence({})).toBeUndefined();
    expect(
      severalRanksEvidence({ SLURM_NTASKS_PER_NODE: '1', SLURM_LOCALID: '0' }),
    ).toBeUndefined();
    expect(severalRanksEvidence({ LOCAL_WORLD_SIZE: '1', LOCAL_RANK: '0' })).toBeUndefined();
  });
});
