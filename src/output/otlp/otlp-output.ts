import type { Attributes } from '@opentelemetry/api';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { OutputHandler } from '../handler.js';
import { FailureTracker } from '../prometheus/failure-tracker.js';
import { loadOtel } from './load-otel.js';
import { OtlpPipeline, type Temporality } from './otlp-pipeline.js';

export interface OtlpOutputOptions {
  /** `OTLP` or `Logfire`, for messages. */
  name: string;
  url: string;
  /** May hold a token: values are never logged. */
  headers: Record<string, string>;
  timeoutMs: number;
  temporality: Temporality;
  resource: Attributes;
  experimentName: string;
  logger: Logger;
  /**
   * What the user can check when exports fail, for the warning. Default: the Logfire
   * variables for `Logfire`, else `otlp_endpoint` and the OTLP variables.
   */
  check?: string;
}

const CHECK_OTLP =
  'otlp_endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) and that the collector is reachable';
const CHECK_LOGFIRE = 'LOGFIRE_TOKEN, LOGFIRE_BASE_URL and the network';

/**
 * Sends CodeCarbon's metrics (spec 9.6) over OTLP/HTTP with JSON encoding at every periodic
 * and final output. The SDK is loaded at the first output. A failed export is logged and the
 * next output sends the metrics again; at stop the pending export is awaited for at most the
 * request timeout plus a second, then the exporter is shut down.
 */
export class OtlpMetricsOutput implements OutputHandler {
  private pipeline: OtlpPipeline | undefined;
  private unavailable = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly health: FailureTracker;

  constructor(private readonly options: OtlpOutputOptions) {
    this.health = new FailureTracker(
      options.logger,
      `Sending ${options.name} metrics to ${options.url}`,
      options.check ?? (options.name === 'Logfire' ? CHECK_LOGFIRE : CHECK_OTLP),
    );
  }

  liveOut(_total: EmissionsData, delta: EmissionsData): Promise<void> {
    return this.send(delta);
  }

  out(_total: EmissionsData, delta: EmissionsData): Promise<void> {
    return this.send(delta);
  }

  /** Waits (bounded) for the last export, then releases the exporter; a restart builds anew. */
  async exit(): Promise<void> {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    this.pipeline = undefined;
    const limitMs = this.options.timeoutMs + 1000;
    const finished = await withinMs(this.queue, limitMs);
    if (!finished) {
      this.options.logger.warn(
        `${this.options.name} metrics were still being sent after ${limitMs} ms at stop; ` +
          'the last values may be lost.',
      );
    }
    await withinMs(
      pipeline.shutdown().catch(() => undefined),
      limitMs,
    );
  }

  private send(delta: EmissionsData): Promise<void> {
    const pipeline = this.ensurePipeline();
    if (!pipeline) return Promise.resolve();
    pipeline.record(delta);
    this.queue = this.queue.then(async () => {
      try {
        await this.bounded(pipeline.export());
        this.health.succeeded();
      } catch (error) {
        this.health.failed(error);
      }
    });
    return this.queue;
  }

  /**
   * The exporter's timeout ends a request that gets no answer, not one whose answer never
   * ends (a server or proxy that trickles bytes): its export would stay pending, and with it
   * every later output and flush(). This bounds the whole export.
   */
  private async bounded(work: Promise<void>): Promise<void> {
    const limitMs = this.options.timeoutMs;
    if (!(await withinMs(work, limitMs))) {
      throw new Error(`no complete answer within ${limitMs / 1000} s`);
    }
  }

  private ensurePipeline(): OtlpPipeline | undefined {
    if (this.pipeline || this.unavailable) return this.pipeline;
    try {
      this.pipeline = new OtlpPipeline(loadOtel(), this.options);
    } catch (error) {
      this.unavailable = true;
      this.options.logger.error(
        `The OpenTelemetry SDK could not be loaded (${error instanceof Error ? error.message : String(error)}); ` +
          `${this.options.name} metrics are off for this tracker. Reinstall the package's dependencies.`,
      );
    }
    return this.pipeline;
  }
}

/** True when `work` settled within `ms`; the timer never keeps the process alive. */
function withinMs(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
