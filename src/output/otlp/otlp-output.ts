import type { Attributes } from '@opentelemetry/api';
import type { Logger } from '../../log/logger.js';
import type { EmissionsData } from '../../records/emissions-data.js';
import type { OutputHandler } from '../handler.js';
import { LatestStateRequests } from '../latest-state-requests.js';
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

/** How long `exit()` waits for the exporter to shut down, ms. */
const SHUTDOWN_LIMIT_MS = 1000;

/**
 * Sends CodeCarbon's metrics (spec 9.6) over OTLP/HTTP with JSON encoding at every periodic
 * and final output. The SDK is loaded at the first output. A failed export is logged and the
 * next export sends the metrics again. Each export ends within the request timeout (the
 * exporter's own timeout ends an idle request only, not an answer that trickles in for ever),
 * so `out()` does too; `exit()` waits for the export in flight, then at most a second for the
 * exporter to shut down. A restart builds a new exporter.
 */
export class OtlpMetricsOutput implements OutputHandler {
  private pipeline: OtlpPipeline | undefined;
  private unavailable = false;
  private readonly requests: LatestStateRequests;

  constructor(private readonly options: OtlpOutputOptions) {
    this.requests = new LatestStateRequests({
      limitMs: options.timeoutMs,
      health: new FailureTracker(
        options.logger,
        `Sending ${options.name} metrics to ${options.url}`,
        options.check ?? (options.name === 'Logfire' ? CHECK_LOGFIRE : CHECK_OTLP),
      ),
    });
  }

  /**
   * Records the values; an export still in flight is awaited, then one export sends
   * everything recorded meanwhile (the reader collects when the export starts).
   */
  liveOut(_total: EmissionsData, delta: EmissionsData): Promise<void> {
    const pipeline = this.recorded(delta);
    if (!pipeline) return Promise.resolve();
    return this.requests.periodic(() => pipeline.export());
  }

  /**
   * Exports now, beside any export still in flight: the SDK cannot abort one, and this one
   * carries newer values (cumulative) or the values not sent yet (delta).
   */
  out(_total: EmissionsData, delta: EmissionsData): Promise<void> {
    const pipeline = this.recorded(delta);
    if (!pipeline) return Promise.resolve();
    return this.requests.final(() => pipeline.export(), false);
  }

  /** Waits for the exports in flight (each bounded), then releases the exporter. */
  async exit(): Promise<void> {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    this.pipeline = undefined;
    this.requests.dropFollowUp();
    await this.requests.settled();
    const closed = await withinMs(
      pipeline.shutdown().catch(() => undefined),
      SHUTDOWN_LIMIT_MS,
    );
    if (!closed) {
      this.options.logger.debug(
        `The ${this.options.name} exporter did not shut down within ${SHUTDOWN_LIMIT_MS} ms; ` +
          'its last request ends at its own timeout.',
      );
    }
  }

  private recorded(delta: EmissionsData): OtlpPipeline | undefined {
    const pipeline = this.ensurePipeline();
    pipeline?.record(delta);
    return pipeline;
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
