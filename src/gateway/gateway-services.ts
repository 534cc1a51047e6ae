// Everything a route needs, built once by createGateway.
import type { FleetConfig } from '../config/index.ts';
import type { ChatRequest } from '../core/chat.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { SchedulerPort } from '../scheduler/scheduler-port.ts';
import type { UsageStore } from '../store/index.ts';
import type { Authenticator } from './authenticator.ts';
import type { ChainExecutor } from './chain-executor.ts';
import type { BackendResolver } from './chat-backend.ts';
import type { Cooldowns } from './cooldowns.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { Logger } from './logger.ts';

export interface GatewayServices {
  fleet: FleetConfig;
  clock: Clock;
  scheduler: SchedulerPort;
  executor: ChainExecutor;
  /** the backends, for calls that are not chats (embeddings) */
  backends: BackendResolver;
  auth: Authenticator;
  metrics: GatewayMetrics;
  cooldowns: Cooldowns;
  store?: UsageStore;
  logger: Logger;
  ids: IdGenerator;
  estimateTokens: (request: ChatRequest) => number;
  /** ms between keep-alives while a streamed request waits for its model */
  keepAliveMs: number;
}
