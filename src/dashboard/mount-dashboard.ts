// Wires the dashboard beside a gateway: called by the composition root (src/app.ts), since the
// gateway does not know the dashboard. The usage feed must be the store the gateway writes to.
import type { Hono } from 'hono';
import type { FleetConfig } from '../config/index.ts';
import type { Authenticator } from '../gateway/authenticator.ts';
import type { Clock } from '../lib/clock.ts';
import type { SchedulerPort } from '../scheduler/scheduler-port.ts';
import { DashboardHub } from './dashboard-hub.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import type { RunSource } from './run-source.ts';
import type { UsageFeed } from './usage-feed.ts';

export interface MountDashboardOptions {
  app: Hono;
  fleet: FleetConfig;
  clock: Clock;
  scheduler: SchedulerPort;
  auth: Authenticator;
  usage?: UsageFeed;
  runs?: RunSource;
}

export interface MountedDashboard {
  hub: DashboardHub;
  close(): void;
}

export function mountDashboard(o: MountDashboardOptions): MountedDashboard {
  const hub = new DashboardHub({
    fleet: o.fleet,
    clock: o.clock,
    scheduler: o.scheduler,
    ...(o.usage ? { store: o.usage.store, usage: o.usage } : {}),
    ...(o.runs ? { runs: o.runs } : {}),
  });
  dashboardRoutes(o.app, { hub, auth: o.auth, clock: o.clock, ...(o.runs ? { runs: o.runs } : {}) });
  return { hub, close: () => hub.close() };
}
