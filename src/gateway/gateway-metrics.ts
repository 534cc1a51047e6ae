// The gateway's metrics (seconds for durations, as Prometheus expects).
import { MetricsRegistry, type Counter, type Gauge, type Histogram } from './metrics-registry.ts';

const SECONDS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
const OVERHEAD = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

export interface GatewayMetrics {
  registry: MetricsRegistry;
  /** labels: api, alias, status */
  requests: Counter;
  /** labels: api, code */
  errors: Counter;
  /** labels: alias, from, to, reason */
  fallbacks: Counter;
  /** labels: server, model (requests that waited for a load) */
  swaps: Counter;
  /** labels: server, model */
  loadSeconds: Counter;
  /** labels: none; requests waiting in the scheduler right now */
  queueLength: Gauge;
  /** labels: model */
  queueWait: Histogram;
  /** labels: model, direction (input|output) */
  tokens: Counter;
  /** labels: model */
  timeToFirstToken: Histogram;
  /**
   * labels: api; the gateway's own time per request: wall time minus the waits for the scheduler and
   * the backend stream (reading and decoding upstream chunks happens inside those waits)
   */
  overhead: Histogram;
  /** labels: model; models in cooldown right now (1) */
  cooldown: Gauge;
  /** labels: server, kind (configured | effective); GXA's wait target in seconds */
  waitTarget: Gauge;
  /**
   * labels: model, rung (native, salvaged, repaired, coerced, interpreted, reasked; none for a reply
   * without a call), verdict (calls, no_call, unknown_tool, narrated, invalid); one per call, or one
   * per reply without a call, of replies to requests that offered tools with repair on
   */
  toolCallRepairs: Counter;
}

export function createGatewayMetrics(): GatewayMetrics {
  const r = new MetricsRegistry();
  return {
    registry: r,
    requests: r.counter('orchestra_requests_total', 'Requests answered by the gateway'),
    errors: r.counter('orchestra_errors_total', 'Requests answered with an error, by error code'),
    fallbacks: r.counter('orchestra_fallbacks_total', 'Moves to the next model of an alias chain'),
    swaps: r.counter(
      'orchestra_swaps_total',
      'Model loads the scheduler performed for requests (counted once per load)',
    ),
    loadSeconds: r.counter(
      'orchestra_load_seconds_total',
      'Seconds the scheduler spent loading models (once per load)',
    ),
    queueLength: r.gauge('orchestra_queue_length', 'Requests waiting in the scheduler'),
    queueWait: r.histogram('orchestra_queue_wait_seconds', 'Wait in the scheduler before dispatch', SECONDS),
    tokens: r.counter('orchestra_tokens_total', 'Tokens in and out'),
    timeToFirstToken: r.histogram('orchestra_time_to_first_token_seconds', 'Arrival to first token', SECONDS),
    overhead: r.histogram('orchestra_gateway_overhead_seconds', 'Time added by the gateway itself', OVERHEAD),
    cooldown: r.gauge(
      'orchestra_model_cooldown',
      'Models in cooldown after repeated failures (1 = cooling down)',
    ),
    waitTarget: r.gauge(
      'orchestra_wait_target_seconds',
      "GXA's W_target per server: configured, and effective (the bound it acts on when the configured one is infeasible)",
    ),
    toolCallRepairs: r.counter(
      'orchestra_toolcall_repairs_total',
      'Tool calls by the repair ladder rung that produced them (rung none: a reply without a call), and the reply verdict',
    ),
  };
}
