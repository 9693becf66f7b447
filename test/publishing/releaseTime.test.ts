// Release times: 08:00 Europe/Oslo on a date, daylight saving time included. Expected instants follow Norway's
// rules (CET = UTC+1; CEST = UTC+2 from the last Sunday of March 01:00Z to the last Sunday of October 01:00Z).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReleaseTime, releaseInstant, ReleaseTimeError, zonedInstant } from '../../src/publishing/index.js';

test('08:00 Europe/Oslo is 07:00Z in winter and 06:00Z in summer, on the transition days too', () => {
  const cases: [string, string][] = [
    ['2026-12-01', '2026-12-01T07:00:00.000Z'], // the brief's example: winter time
    ['2026-01-15', '2026-01-15T07:00:00.000Z'],
    ['2026-06-01', '2026-06-01T06:00:00.000Z'], // summer time
    ['2026-03-28', '2026-03-28T07:00:00.000Z'], // Saturday before the spring change
    ['2026-03-29', '2026-03-29T06:00:00.000Z'], // the spring change (02:00 -> 03:00): 08:00 is already CEST
    ['2026-10-24', '2026-10-24T06:00:00.000Z'], // Saturday before the autumn change
    ['2026-10-25', '2026-10-25T07:00:00.000Z'], // the autumn change (03:00 -> 02:00): 08:00 is CET again
    ['2027-03-28', '2027-03-28T06:00:00.000Z'],
    ['2027-03-27', '2027-03-27T07:00:00.000Z'],
  ];
  for (const [date, want] of cases) assert.equal(releaseInstant(date), want, date);
  assert.equal(releaseInstant('2026-12-01', '10:30'), '2026-12-01T09:30:00.000Z');
  assert.equal(releaseInstant('2026-07-01', '00:00'), '2026-06-30T22:00:00.000Z', 'midnight belongs to the previous UTC day');
  assert.equal(releaseInstant('2026-12-01', '08:00', 'America/New_York'), '2026-12-01T13:00:00.000Z');
});

test('the hour that does not exist is an error; the hour that occurs twice is its first occurrence', () => {
  assert.throws(() => zonedInstant('2026-03-29', '02:30'), /does not exist/);
  assert.equal(releaseInstant('2026-10-25', '02:30'), '2026-10-25T00:30:00.000Z'); // 02:30 CEST, not 02:30 CET
  assert.equal(releaseInstant('2026-03-29', '03:00'), '2026-03-29T01:00:00.000Z');
  assert.equal(releaseInstant('2026-03-29', '01:59'), '2026-03-29T00:59:00.000Z');
});

test('garbage dates, times and zones give ReleaseTimeError', () => {
  const bad: [unknown, unknown, unknown][] = [
    ['2026-13-01', '08:00', undefined],
    ['2026-02-30', '08:00', undefined],
    ['1.12.2026', '08:00', undefined],
    ['', '08:00', undefined],
    [null, '08:00', undefined],
    ['2026-12-01', '8', undefined],
    ['2026-12-01', '24:00', undefined],
    ['2026-12-01', '08:60', undefined],
    ['2026-12-01', 800, undefined],
    ['2026-12-01', '08:00', 'Mars/Olympus'],
  ];
  for (const [d, t, z] of bad) {
    assert.throws(() => zonedInstant(d as string, t as string, z as string | undefined), ReleaseTimeError, `${String(d)} ${String(t)} ${String(z)}`);
  }
});

test('release times for people, in the office zone', () => {
  assert.match(formatReleaseTime('2026-12-01T07:00:00.000Z', 'no'), /^1\. desember 2026.*08:00$/);
  assert.match(formatReleaseTime('2026-06-01T06:00:00.000Z', 'en'), /^1 June 2026.*08:00$/);
  assert.equal(formatReleaseTime('garbage', 'en'), 'garbage');
});
