// Publishing: release times (08:00 Europe/Oslo by default) and the scheduler that warms and records releases.
// The embargo itself lives in the store (see store.ts): a scheduled version is public from its release time on.
export {
  DEFAULT_RELEASE_CLOCK,
  PREPARE_AHEAD_MS,
  RELEASE_TIME_ZONE,
  ReleaseTimeError,
  formatReleaseTime,
  releaseInstant,
  zonedInstant,
  zoneOffsetMs,
} from './releaseTime.js';
export {
  DEFAULT_POLL_MS,
  DEFAULT_WARMUP_MS,
  ReleaseScheduler,
  schedulerSettingsFromEnv,
  type ReleaseSchedulerOptions,
  type SchedulerLog,
  type TickReport,
  type WarmedRelease,
} from './scheduler.js';
export { catalogueAt } from './comingCatalogue.js';
