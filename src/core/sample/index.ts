/**
 * The sampler behind a run: exact procfs counters on Linux, the coarser `os.cpus()` fallback
 * elsewhere (or where procfs is not readable).
 */
import { OsCpusSampler } from './osCpusSampler';
import { ProcfsSampler, procfsAvailable } from './procfsSampler';
import type { SamplePoint, Sampler } from './types';

export type { SamplePoint, Sampler, SamplerResult, SampledProcess, SampledThread } from './types';
export { MIN_INTERVAL_MS } from './procfsSampler';

export interface SamplerOptions {
  rootPid: number;
  intervalMs: number;
  /** `performance.now()` of the run's start. */
  startMs: number;
  onSample?: (sample: SamplePoint) => void;
  /** Force the portable sampler (tests). */
  portable?: boolean;
}

export function createSampler(options: SamplerOptions): Sampler {
  if (!options.portable && process.platform === 'linux' && procfsAvailable()) {
    return new ProcfsSampler(options);
  }
  return new OsCpusSampler(options);
}
