// Settings of the application and its HTTP server: defaults, then environment variables, then command-line flags.
// Every API, the CLI and the web app read the same settings through the application layer (src/app).

export interface AppConfig {
  port: number;
  host: string;
  /** SQLite database file of the embedded store. */
  dbPath: string;
  /** Absolute base URL used in links (v2 hrefs, RSS); when empty, the Host of a request if it is trusted, else host/port. */
  baseUrl: string;
  /** Host names whose Host header may make absolute links when no base URL is set (any port). */
  trustedHosts: string[];
  /** A request whose headers and body have not arrived after this many ms is cut off (trickling bodies). */
  bodyTimeoutMs: number;
  /** Longest time (s) a shared cache (CDN) may keep an answer; never past the table's next scheduled release. */
  cacheMaxAge: number;
  /** Languages served, in order; empty = every language the tables carry (see languages.ts). */
  languages: string[];
  /** Default language; empty = the first of `languages` (or of the data). */
  defaultLanguage: string;
  /** Data cell limit per query: v1 answers 403, v2 answers 400 above it. */
  maxCells: number;
  /** v1 metadata drops values/valueTexts of a variable with more values than this. */
  maxValues: number;
  /** v1 search answers at most this many tables, best first (PxWeb's result list length); 0 = no limit. */
  searchResultLimit: number;
  /** Rate limit: calls per time window (seconds) per client. 0 disables it. */
  maxCalls: number;
  timeWindow: number;
  /** Redis shared by every node for rate-limit counters (redis://...); empty = each node counts alone. */
  redisUrl: string;
  /** `api`: each API (v1, v2, pages, datasets, Klass, RSS) counts its own calls per client; `shared`: one budget. */
  rateLimitScope: 'api' | 'shared';
  /** Admission of heavy answers (see admission.ts): estimated output bytes from which an answer is heavy, how many
   * run at once, how many one client may have running or waiting, how many wait in all, and the byte budget of
   * answers built whole in memory. */
  heavyAnswerBytes: number;
  maxHeavyAnswers: number;
  maxHeavyPerClient: number;
  maxHeavyQueue: number;
  maxBufferedBytes: number;
  /** Byte budget of the one response cache (0 disables it), and the largest answer it keeps. */
  responseCacheBytes: number;
  responseCacheEntryBytes: number;
  /** A query running longer than this (ms) answers 503. */
  queryTimeoutMs: number;
  /** Ready-made datasets (JSON list) and Klass classifications (JSON); empty = `<db>.datasets.json` / `<db>.klass.json` beside a SQLite file when present. */
  datasetsFile: string;
  klassFile: string;
  /** The office's time zone: PX LAST-UPDATED and other local times are read in it and written in UTC. */
  timeZone: string;
  /** Byte budget of the in-memory cube cache. */
  cacheBytes: number;
  cors: boolean;
  /** v1 format when a query names none (SSB serves json-stat2). */
  v1DefaultFormat: string;
  /** Client address header trusted for rate limiting (e.g. x-forwarded-for), empty = socket address. */
  clientIpHeader: string;
  logLevel: string;
}

export const DEFAULT_CONFIG: AppConfig = {
  port: 8080,
  host: '0.0.0.0',
  dbPath: 'data/statbank.db',
  baseUrl: '',
  trustedHosts: ['localhost', '127.0.0.1', '[::1]'],
  bodyTimeoutMs: 30_000,
  cacheMaxAge: 300,
  languages: [],
  defaultLanguage: '',
  maxCells: 800_000,
  maxValues: 50_000,
  searchResultLimit: 250,
  maxCalls: 30,
  timeWindow: 60,
  rateLimitScope: 'api',
  redisUrl: '',
  heavyAnswerBytes: 4 * 1024 * 1024,
  maxHeavyAnswers: 2,
  maxHeavyPerClient: 2,
  maxHeavyQueue: 32,
  maxBufferedBytes: 512 * 1024 * 1024,
  responseCacheBytes: 64 * 1024 * 1024,
  responseCacheEntryBytes: 1024 * 1024,
  queryTimeoutMs: 60_000,
  datasetsFile: '',
  klassFile: '',
  timeZone: 'Europe/Oslo',
  cacheBytes: 1024 * 1024 * 1024,
  cors: true,
  v1DefaultFormat: 'json-stat2',
  clientIpHeader: '',
  logLevel: 'info',
};

const ENV: Record<string, keyof AppConfig> = {
  PORT: 'port',
  HOST: 'host',
  STATBANK_DB: 'dbPath',
  STATBANK_BASE_URL: 'baseUrl',
  STATBANK_TRUSTED_HOSTS: 'trustedHosts',
  STATBANK_BODY_TIMEOUT_MS: 'bodyTimeoutMs',
  STATBANK_CACHE_MAX_AGE: 'cacheMaxAge',
  STATBANK_MAX_CELLS: 'maxCells',
  STATBANK_MAX_VALUES: 'maxValues',
  STATBANK_SEARCH_RESULTS: 'searchResultLimit',
  STATBANK_MAX_CALLS: 'maxCalls',
  STATBANK_TIME_WINDOW: 'timeWindow',
  STATBANK_QUERY_TIMEOUT_MS: 'queryTimeoutMs',
  STATBANK_CACHE_BYTES: 'cacheBytes',
  STATBANK_TIME_ZONE: 'timeZone',
  STATBANK_DATASETS: 'datasetsFile',
  STATBANK_KLASS: 'klassFile',
  STATBANK_CORS: 'cors',
  STATBANK_LANGUAGES: 'languages',
  STATBANK_DEFAULT_LANGUAGE: 'defaultLanguage',
  STATBANK_RATE_LIMIT_SCOPE: 'rateLimitScope',
  REDIS_URL: 'redisUrl',
  STATBANK_HEAVY_ANSWER_BYTES: 'heavyAnswerBytes',
  STATBANK_MAX_HEAVY_ANSWERS: 'maxHeavyAnswers',
  STATBANK_MAX_HEAVY_PER_CLIENT: 'maxHeavyPerClient',
  STATBANK_MAX_HEAVY_QUEUE: 'maxHeavyQueue',
  STATBANK_MAX_BUFFERED_BYTES: 'maxBufferedBytes',
  STATBANK_RESPONSE_CACHE_BYTES: 'responseCacheBytes',
  STATBANK_RESPONSE_CACHE_ENTRY_BYTES: 'responseCacheEntryBytes',
  STATBANK_CLIENT_IP_HEADER: 'clientIpHeader',
  LOG_LEVEL: 'logLevel',
};

/** Merge settings: defaults < environment < explicit overrides. */
export function loadConfig(overrides: Partial<AppConfig> = {}, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cfg: AppConfig = { ...DEFAULT_CONFIG };
  for (const [name, key] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') assign(cfg, key, raw);
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  return cfg;
}

function assign(cfg: AppConfig, key: keyof AppConfig, raw: string): void {
  const cur = DEFAULT_CONFIG[key];
  const rec = cfg as unknown as Record<string, unknown>;
  if (typeof cur === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`setting ${key}: not a number: ${raw}`);
    rec[key] = n;
  } else if (typeof cur === 'boolean') {
    rec[key] = /^(1|true|yes|on)$/i.test(raw);
  } else if (Array.isArray(cur)) {
    rec[key] = raw.split(',').map((s) => s.trim()).filter(Boolean);
  } else {
    rec[key] = raw;
  }
}

export function baseUrlOf(cfg: AppConfig): string {
  if (cfg.baseUrl) return cfg.baseUrl.replace(/\/+$/, '');
  const host = cfg.host === '0.0.0.0' || cfg.host === '::' ? 'localhost' : cfg.host;
  return `http://${host}:${cfg.port}`;
}

/** The admission settings of a configuration. */
export function admissionSettings(cfg: AppConfig): { heavyBytes: number; maxHeavy: number; maxBufferedBytes: number; maxQueue: number; maxPerClient: number } {
  return {
    heavyBytes: cfg.heavyAnswerBytes,
    maxHeavy: Math.max(1, cfg.maxHeavyAnswers),
    maxBufferedBytes: cfg.maxBufferedBytes,
    maxQueue: Math.max(0, cfg.maxHeavyQueue),
    maxPerClient: Math.max(1, cfg.maxHeavyPerClient),
  };
}

/** The admission limits as both APIs report them. */
export function heavyAnswerLimits(cfg: AppConfig): Record<string, number> {
  const s = admissionSettings(cfg);
  return {
    heavyAnswerBytes: s.heavyBytes,
    maxHeavyAnswers: s.maxHeavy,
    maxHeavyPerClient: s.maxPerClient,
    maxHeavyQueue: s.maxQueue,
    queryTimeoutSeconds: Math.ceil(cfg.queryTimeoutMs / 1000),
  };
}
