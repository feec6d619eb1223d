/**
 * The published JSON Schema (draft 2020-12) of the scenario file users write. `ujibeban scenario
 * schema` prints it; editors can use it through a "$schema" property. It checks shapes only:
 * the loader (./load.ts) adds the checks that need arithmetic or the region table (checkpoints
 * inside the window, shares summing to 1, region codes that exist) and fills the defaults
 * named in the descriptions here.
 */
import { ELECTION_IDS } from '../domain/elections.js';
import { DURATION_PATTERN } from './duration.js';

/** Local clock time "HH:MM", 00:00 to 24:00 (24:00 = end of election day). */
export const TIME_PATTERN = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

/** 2-digit province or 4-digit kab/kota KPU code. */
export const REGION_PATTERN = '^[0-9]{2}([0-9]{2})?$';

/** k6-style threshold expression; same grammar as src/report/thresholds.ts. */
export const THRESHOLD_PATTERN =
  '^\\s*(p\\(\\s*[0-9]+(\\.[0-9]+)?\\s*\\)|avg|med|max|rate|rate\\(errors\\)|rate\\(dropped\\)|count|count\\(errors\\)|count\\(dropped\\))' +
  '\\s*(<=|>=|==|!=|<|>)\\s*-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?\\s*$';

export const REQUEST_KINDS = ['login', 'upload', 'read:progress', 'read:hhcw', 'read:wilayah'] as const;
export const EXECUTORS = ['election-day', 'constant-rate', 'ramping-rate'] as const;
export const THRESHOLD_METRICS = ['login', 'upload', 'read', 'all'] as const;

/** Fields that only one kind of executor reads. */
export const EXECUTOR_FIELDS: Record<(typeof EXECUTORS)[number], readonly string[]> = {
  'election-day': ['clock', 'window', 'checkpoints', 'curve', 'timeScale', 'viewers'],
  'constant-rate': ['rate', 'duration', 'request'],
  'ramping-rate': ['startRate', 'stages', 'request'],
};

/** What each named definition expects, in words, for error messages (by definition name). */
export const EXPECTED: Record<string, string> = {
  duration: 'a duration like "250ms", "2s", "5m", "1h" or "1h30m"',
  time: 'a local time "HH:MM" from "00:00" to "24:00", e.g. "17:00"',
  share: 'a number from 0 to 1',
  regionCode: 'a 2-digit province or 4-digit kab/kota KPU code as a string, e.g. "62" or "6205"',
  regions: '"all" or an array of 2-digit province / 4-digit kab/kota codes, e.g. ["6205"]',
  distribution:
    'a distribution: {"fixed": N}, {"uniform": {"min": N, "max": N}} or {"lognormal": {"median": N, "sigma": N}}',
  threshold:
    'a k6-style threshold "<aggregate><op><number>" such as "p(99)<5000", "avg<200", "rate(errors)<0.01"; ' +
    'aggregates p(N), avg, med, max, rate, rate(errors), rate(dropped), count, count(errors), count(dropped)',
  thresholdList: 'an array of threshold expressions, e.g. ["p(99)<5000", "rate(errors)<0.01"]',
  curvePoint: 'a point ["HH:MM", share], e.g. ["17:00", 0.8]',
  ratePoint: 'a point ["HH:MM", readsPerSecond], e.g. ["19:00", 50]',
  requestKind: `one of ${REQUEST_KINDS.map((k) => `"${k}"`).join(', ')}`,
};

const duration = (description: string) => ({ $ref: '#/$defs/duration', description });
const time = (description: string) => ({ $ref: '#/$defs/time', description });
const share = (description: string) => ({ $ref: '#/$defs/share', description });

export const SCENARIO_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ujibeban:scenario:1',
  title: 'ujibeban scenario',
  description:
    'A load test of a Sirekap-style recap server: an election day compressed in time (executor "election-day", ' +
    'the default) or a fixed-rate capacity test of one request kind ("constant-rate", "ramping-rate"). ' +
    'Durations are strings like "250ms", "30s", "5m", "1h"; times are local clock times "HH:MM".',
  type: 'object',
  additionalProperties: false,
  required: ['election'],
  properties: {
    $schema: { type: 'string', description: 'Optional URL or path of this schema, for editors. Ignored.' },
    name: {
      type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'Short name used in reports and file names (letters, digits, ".", "_", "-"). Default: the file name without ".json".',
    },
    description: { type: 'string', description: 'What this scenario models, in a sentence or two. Default: "".' },
    election: {
      type: 'string', enum: [...ELECTION_IDS],
      description: 'Which election: "pilkada-2024" (27 Nov 2024, 435,296 TPS, 2 contests) or "pemilu-2024" (14 Feb 2024, 823,236 TPS, 5 contests).',
    },
    regions: {
      $ref: '#/$defs/regions',
      description: 'Where: "all" (the default) or KPU codes of provinces (2 digits, e.g. "62") and kab/kota (4 digits, e.g. "6205" Barito Utara).',
    },
    scale: {
      type: 'number', exclusiveMinimum: 0, maximum: 1,
      description: 'Share of the real TPS count to simulate, in (0, 1]; every province keeps at least one TPS. Default: 1.',
    },
    seed: {
      type: 'integer', minimum: 0, maximum: 4294967295,
      description: 'Seed of the synthetic hierarchy, forms, photos and arrival order; the same seed gives the same run. Default: 1.',
    },
    executor: {
      type: 'string', enum: [...EXECUTORS],
      description: 'How load is generated: "election-day" (default; officers arrive along the completion curve), ' +
        '"constant-rate" (one request kind at a fixed rate) or "ramping-rate" (one request kind through rate stages).',
    },
    clock: {
      type: 'string', enum: ['local', 'wib'],
      description: 'election-day: "local" (default) runs window, checkpoints and curve in each zone\'s local time (WIB, WITA = WIB+1, WIT = WIB+2), ' +
        'so the national curve is three local curves shifted by an hour; "wib" runs every zone on WIB (a nationwide test at one instant).',
    },
    window: {
      type: 'object', additionalProperties: false,
      description: 'election-day: the part of the day simulated, in local time. Default: 13:00 (polls close) to 24:00.',
      properties: {
        start: time('Start of the window; the completion curve is 0 here. Default: "13:00".'),
        end: time('End of the window; the completion curve is 1 here. Default: "24:00".'),
      },
    },
    checkpoints: {
      type: 'array', minItems: 1,
      description: 'election-day: completion targets that decide the verdict: the share of TPS whose forms are all accepted by each local time. ' +
        'Times strictly increasing inside the window, targets non-decreasing. Default: the uji beban target (80% by 17:00, 100% by 24:00) ' +
        'where inside the window, and 100% at window.end.',
      items: {
        type: 'object', additionalProperties: false, required: ['at', 'target'],
        description: 'One completion target.',
        properties: {
          at: time('Local time of the checkpoint, e.g. "17:00".'),
          target: {
            type: 'number', exclusiveMinimum: 0, maximum: 1,
            description: 'Share of TPS that must be complete by then, in (0, 1], e.g. 0.8.',
          },
        },
      },
    },
    curve: {
      type: 'array', minItems: 2,
      items: { $ref: '#/$defs/curvePoint' },
      description: 'election-day: the completion curve the officers follow, as [time, share] points joined by straight lines: ' +
        'times strictly increasing inside the window, shares non-decreasing from 0 to 1. ' +
        'Default: through (window.start, 0), each checkpoint, and (window.end, 1).',
    },
    timeScale: {
      type: 'number', exclusiveMinimum: 0,
      description: 'election-day: simulated seconds per real second (60 = one hour of election day in one real minute). Default: 60.',
    },
    officers: {
      type: 'object', additionalProperties: false,
      description: 'What each KPPS officer (one per TPS) does: log in, then upload one C1 form per contest with photos.',
      properties: {
        mode: {
          type: 'string', enum: ['full', 'login-only'],
          description: '"full" (default): log in, then upload each contest\'s form; "login-only": log in and stop (a login storm).',
        },
        pagesPerForm: {
          type: 'integer', minimum: 1, maximum: 10,
          description: 'Photo pages per C1 form. Default: the election\'s (1 for pilkada-2024, 3 for pemilu-2024).',
        },
        photoBytes: {
          $ref: '#/$defs/distribution',
          description: 'Size of each photo page in bytes. Default: {"lognormal": {"median": 300000, "sigma": 0.5}}.',
        },
        misreadShare: share('Share of forms with an OCR-like misread (8/0, 1/7, 2/5) that the arithmetic guard flags. Default: 0.01.'),
        duplicateShare: share('Share of uploads sent a second time unchanged (expect 200 and the same receipt). Default: 0.02.'),
        correctionShare: share('Share of uploads followed by a corrected upload (expect 201 and version + 1). Default: 0.005.'),
        attemptTimeout: duration('Real time after which one request attempt is abandoned and counts as failed. Default: "30s".'),
        think: duration('Pause after login and between contests, in simulated time (divided by timeScale). Default: "0s".'),
        retry: {
          type: 'object', additionalProperties: false,
          description: 'Retries of a failed login or upload: exponential backoff from base, capped, with jitter.',
          properties: {
            max: { type: 'integer', minimum: 0, maximum: 100, description: 'Attempts after the first one. Default: 8.' },
            base: duration('First backoff (real time); doubles each attempt. Default: "2s".'),
            cap: duration('Longest backoff (real time). Default: "5m".'),
            jitter: {
              type: 'string', enum: ['full', 'none'],
              description: '"full" (default): wait a uniform random time in [0, backoff] (AWS full jitter); "none": wait exactly the backoff.',
            },
            honourRetryAfter: {
              type: 'boolean',
              description: 'Wait at least the server\'s Retry-After on 503/429 (capped by cap). Default: true.',
            },
          },
        },
      },
    },
    viewers: {
      type: 'object', additionalProperties: false,
      description: 'election-day: the public reading results while officers upload. Default: no viewers.',
      properties: {
        rate: {
          type: 'array',
          items: { $ref: '#/$defs/ratePoint' },
          description: 'Reads per real second along WIB time as [time, rate] points joined by straight lines, times strictly increasing; ' +
            'e.g. [["13:00", 0], ["19:00", 50], ["24:00", 20]]. Default: [] (no viewers).',
        },
        mix: {
          type: 'object', additionalProperties: false,
          description: 'Shares of read kinds; must sum to 1 (kinds left out count 0). Default: progress 0.6, hhcw 0.3, wilayah 0.1.',
          properties: {
            progress: share('Share of GET /api/v1/progress?region=... reads.'),
            hhcw: share('Share of Sirekap-shaped /{election}/hhcw/... result JSON reads (TPS and aggregate levels).'),
            wilayah: share('Share of /wilayah/... region list reads.'),
          },
        },
      },
    },
    rate: {
      type: 'number', exclusiveMinimum: 0,
      description: 'constant-rate: requests started per real second (open model: started on schedule whatever the replies).',
    },
    duration: duration('constant-rate: how long to send at `rate` (real time), e.g. "60s".'),
    startRate: {
      type: 'number', minimum: 0,
      description: 'ramping-rate: requests per second at the start, before the first stage. Default: 0.',
    },
    stages: {
      type: 'array', minItems: 1,
      description: 'ramping-rate: stages run in order; each moves the rate linearly to `target` over `duration` (k6\'s ramping-arrival-rate).',
      items: {
        type: 'object', additionalProperties: false, required: ['duration', 'target'],
        description: 'One stage of a ramping-rate test.',
        properties: {
          duration: duration('Length of the stage (real time), e.g. "30s".'),
          target: { type: 'number', minimum: 0, description: 'Requests per second reached at the end of the stage.' },
        },
      },
    },
    request: {
      $ref: '#/$defs/requestKind',
      description: 'constant-rate, ramping-rate: the request sent: "login", "upload" (one C1 form for a random TPS and contest, ' +
        'logging in first when needed), "read:progress", "read:hhcw" or "read:wilayah".',
    },
    thresholds: {
      type: 'object', additionalProperties: false,
      description: 'Pass/fail criteria per request series, k6-style; latency aggregates in milliseconds from the intended send time. ' +
        'Default: {} (only the checkpoints decide).',
      properties: {
        login: { $ref: '#/$defs/thresholdList', description: 'Thresholds on POST /api/v1/auth/login.' },
        upload: { $ref: '#/$defs/thresholdList', description: 'Thresholds on C1 form uploads (PUT /api/v1/tps/{tps}/c1/{contest}).' },
        read: { $ref: '#/$defs/thresholdList', description: 'Thresholds on public reads (progress, hhcw, wilayah).' },
        all: { $ref: '#/$defs/thresholdList', description: 'Thresholds on every request together.' },
      },
    },
    limits: {
      type: 'object', additionalProperties: false,
      description: 'Bounds of the load generator.',
      properties: {
        maxInFlight: {
          type: 'integer', minimum: 1,
          description: 'Most arrivals in flight at once (officer sessions, thinking ones included, in election-day; single requests in the rate executors); an arrival beyond it is counted as dropped, never delayed. Default: 2000.',
        },
        connections: { type: 'integer', minimum: 1, description: 'HTTP connections (keep-alive) to the target. Default: 128.' },
      },
    },
    interval: duration('Length of one timeline interval of the report, in real time. Default: "1s".'),
    drain: duration('Grace (real time) for sessions still in flight after the last arrival before the run stops. Default: "30s".'),
  },
  allOf: [
    { if: { required: ['executor'], properties: { executor: { const: 'constant-rate', description: 'When the executor is constant-rate.' } } }, then: { required: ['rate', 'duration', 'request'] } },
    { if: { required: ['executor'], properties: { executor: { const: 'ramping-rate', description: 'When the executor is ramping-rate.' } } }, then: { required: ['stages', 'request'] } },
  ],
  $defs: {
    duration: { type: 'string', pattern: DURATION_PATTERN, description: 'A duration: "250ms", "30s", "5m", "1h", "1h30m".' },
    time: { type: 'string', pattern: TIME_PATTERN, description: 'A local clock time "HH:MM" from "00:00" to "24:00".' },
    share: { type: 'number', minimum: 0, maximum: 1, description: 'A share from 0 to 1.' },
    regionCode: { type: 'string', pattern: REGION_PATTERN, description: 'A 2-digit province or 4-digit kab/kota KPU code.' },
    regions: {
      description: '"all" or a list of region codes.',
      anyOf: [
        { const: 'all', description: 'Every province (and overseas for pemilu-2024).' },
        { type: 'array', minItems: 1, uniqueItems: true, items: { $ref: '#/$defs/regionCode' }, description: 'Province and kab/kota codes.' },
      ],
    },
    distribution: {
      type: 'object', additionalProperties: false, minProperties: 1, maxProperties: 1,
      description: 'A distribution of positive values: exactly one of fixed, uniform, lognormal.',
      properties: {
        fixed: { type: 'number', exclusiveMinimum: 0, description: 'Always this value.' },
        uniform: {
          type: 'object', additionalProperties: false, required: ['min', 'max'],
          description: 'Uniform between min and max.',
          properties: {
            min: { type: 'number', exclusiveMinimum: 0, description: 'Smallest value.' },
            max: { type: 'number', exclusiveMinimum: 0, description: 'Largest value (>= min).' },
          },
        },
        lognormal: {
          type: 'object', additionalProperties: false, required: ['median', 'sigma'],
          description: 'Log-normal: median * exp(sigma * N(0,1)).',
          properties: {
            median: { type: 'number', exclusiveMinimum: 0, description: 'Median value.' },
            sigma: { type: 'number', minimum: 0, description: 'Standard deviation of the logarithm (0.5 = spread of about x1.65).' },
          },
        },
      },
    },
    curvePoint: {
      type: 'array', minItems: 2, items: false,
      description: 'A [time, share] point of the completion curve.',
      prefixItems: [
        { $ref: '#/$defs/time', description: 'Local time.' },
        { $ref: '#/$defs/share', description: 'Share of TPS complete by then.' },
      ],
    },
    ratePoint: {
      type: 'array', minItems: 2, items: false,
      description: 'A [time, readsPerSecond] point of the viewer rate.',
      prefixItems: [
        { $ref: '#/$defs/time', description: 'WIB time.' },
        { type: 'number', minimum: 0, description: 'Reads per real second.' },
      ],
    },
    requestKind: { type: 'string', enum: [...REQUEST_KINDS], description: 'A kind of request.' },
    threshold: { type: 'string', pattern: THRESHOLD_PATTERN, description: 'A threshold expression like "p(99)<5000".' },
    thresholdList: {
      type: 'array', items: { $ref: '#/$defs/threshold' },
      description: 'Threshold expressions; all must hold.',
    },
  },
} as const;
