// The real R and Python clients, unmodified, against the server over loopback HTTP:
// R pxweb (API v1, PX-JSON), R PxWebApiData (API v1 json-stat2 with NAstatus) and Python pyjstat (v1 POST and
// v2 GET json-stat2). Their data frames are compared cell by cell with a brute-force read of the cube.
// None of these clients comes from npm or Debian, so each test skips unless the client loads: install them
// yourself (R CMD INSTALL into a library named by R_LIBS; pyjstat's source on PYTHONPATH, with Debian's
// python3-pandas and python3-requests; PYTHON may name the interpreter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Cube } from '../../src/core/model.js';
import { bruteCell, makeApp, makeStore } from '../api-v1/helpers.js';

const run = promisify(execFile);
const PYTHON = process.env.PYTHON ?? 'python3';

/** Exit code 0 of a tiny probe script = the client is there. Never throws. */
async function loads(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args, { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const haveR = (pkg: string) => loads('Rscript', ['-e', `if (!requireNamespace("${pkg}", quietly = TRUE)) quit(status = 3)`]);
const [HAVE_PXWEB, HAVE_PWAD, HAVE_PYJSTAT] = await Promise.all([
  haveR('pxweb'),
  haveR('PxWebApiData'),
  loads(PYTHON, ['-c', 'import pyjstat, pandas, requests']),
]);
const skipMsg = (what: string, ok: boolean) => (ok ? false : `${what} is not installed here`);

let dir: string;
let cube: Cube;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'statbank-clients-'));
  cube = makeStore({ withSymbols: true }).cube;
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh server per test (the R client caches config per host, and limits differ between tests). */
async function serve(overrides: Record<string, unknown>): Promise<{ app: FastifyInstance; base: string }> {
  const s = makeStore({ withSymbols: true });
  const app = await makeApp(s.store, overrides);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

async function script(cmd: string, name: string, body: string, env: Record<string, string>): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, body);
  const { stdout } = await run(cmd, [file], { env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 16 << 20 });
  return stdout;
}

/** Rows after the line `---rows---`: tab-separated, header first. */
function rows(stdout: string): Record<string, string>[] {
  const lines = stdout.split(/\r?\n/);
  const at = lines.indexOf('---rows---');
  assert.ok(at >= 0, `no rows in client output:\n${stdout.slice(-2000)}`);
  const [head, ...rest] = lines.slice(at + 1).filter((l) => l.length);
  const cols = head.split('\t');
  return rest.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}

const codesOf = (code: string) => cube.meta.variables.find((v) => v.code === code)!.values.map((v) => v.code);

/**
 * Check every row against the cube: `pick` gives each variable's input codes for the row (one code, or all
 * codes of an eliminated variable); numbers must equal, missing and nil cells must be NA with their symbol.
 */
function checkRows(got: Record<string, string>[], n: number, pick: (r: Record<string, string>) => string[][], value: (r: Record<string, string>) => string, status?: (r: Record<string, string>) => string) {
  assert.equal(got.length, n, 'row count');
  let missing = 0;
  for (const r of got) {
    const b = bruteCell(cube, pick(r));
    const v = value(r);
    if (b.kind === 'value') assert.equal(Number(v), b.value, JSON.stringify(r));
    else {
      missing++;
      assert.ok(v === 'NA' || v === '' || v === 'nan', `missing cell as NA: ${JSON.stringify(r)}`);
      if (status) assert.equal(status(r), b.kind === 'nil' ? '-' : '..', `symbol of ${JSON.stringify(r)}`);
    }
  }
  return missing;
}

const TID = codesOf('Tid').slice(-2);

const PXWEB_R = (base: string) => `
suppressPackageStartupMessages(library(pxweb))
q <- '{"query":[{"code":"Region","selection":{"filter":"item","values":["0301","1103"]}},
  {"code":"Kjonn","selection":{"filter":"all","values":["*"]}},
  {"code":"Alder","selection":{"filter":"item","values":["000","001"]}},
  {"code":"ContentsCode","selection":{"filter":"item","values":["Personer1"]}},
  {"code":"Tid","selection":{"filter":"top","values":["2"]}}],"response":{"format":"json"}}'
d <- pxweb_get_data("${base}/api/v0/no/table/07459", q, column.name.type = "code", variable.value.type = "code")
cat("---rows---\\n")
write.table(d, sep = "\\t", quote = FALSE, row.names = FALSE, na = "NA")
`;

test('R pxweb: levels, metadata and a PX-JSON query through pxweb_get_data', { skip: skipMsg('R package pxweb', HAVE_PXWEB) }, async () => {
  const { app, base } = await serve({ maxCalls: 1000 });
  try {
    const out = await script('Rscript', 'pxweb.R', `
suppressPackageStartupMessages(library(pxweb))
lv <- pxweb_get("${base}/api/v0/no/table/")
stopifnot(inherits(lv, "pxweb_levels"), "be" %in% sapply(lv, \`[[\`, "id"))
md <- pxweb_get("${base}/api/v0/no/table/07459")
stopifnot(inherits(md, "pxweb_metadata"), identical(sapply(md$variables, \`[[\`, "code"), c("Region","Kjonn","Alder","ContentsCode","Tid")))
` + PXWEB_R(base), {});
    const got = rows(out);
    const missing = checkRows(got, 2 * 2 * 2 * 2, (r) => [[r.Region], [r.Kjonn], [r.Alder], ['Personer1'], [r.Tid]], (r) => r.Personer1);
    assert.deepEqual([...new Set(got.map((r) => r.Tid))], TID, 'top 2 = the last two years');
    assert.ok(missing < got.length);
  } finally {
    await app.close();
  }
});

// pxweb asserts ?config maxCalls >= 1 and refuses the API otherwise ("Assertion on 'x$config$calls_per_period'
// failed"); with the rate limit off (maxCalls 0, `serve --max-calls 0`) the server reports maxCalls 0.
test('R pxweb accepts the ?config of a server whose rate limit is off', { skip: skipMsg('R package pxweb', HAVE_PXWEB) }, async () => {
  const { app, base } = await serve({ maxCalls: 0 });
  try {
    const got = rows(await script('Rscript', 'pxweb0.R', PXWEB_R(base), {}));
    assert.equal(got.length, 16);
  } finally {
    await app.close();
  }
});

test('R PxWebApiData: ApiData json-stat2 with elimination, top and NAstatus', { skip: skipMsg('R package PxWebApiData', HAVE_PWAD) }, async () => {
  const { app, base } = await serve({ maxCalls: 1000 });
  try {
    const out = await script('Rscript', 'pwad.R', `
suppressPackageStartupMessages(library(PxWebApiData))
x <- ApiData("${base}/api/v0/no/table/07459", Region = c("0301", "1103"), Kjonn = FALSE, Alder = TRUE,
             ContentsCode = TRUE, Tid = 2i)
d <- x[[2]]
d$NAstatus <- if ("NAstatus" %in% names(x[[1]])) x[[1]]$NAstatus else NA
cat("---rows---\\n")
write.table(d, sep = "\\t", quote = FALSE, row.names = FALSE, na = "NA")
`, {});
    const got = rows(out);
    const ages = codesOf('Alder');
    const missing = checkRows(
      got,
      2 * ages.length * 2,
      (r) => [[r.Region], codesOf('Kjonn'), [r.Alder], [r.ContentsCode], [r.Tid]],
      (r) => r.value,
      (r) => r.NAstatus,
    );
    assert.ok(!('Kjonn' in got[0]), 'Kjonn eliminated');
    assert.ok(missing > 0, 'the selection holds missing cells (NAstatus checked)');
  } finally {
    await app.close();
  }
});

test('Python pyjstat: v1 POST json-stat2 and v2 GET json-stat2 into DataFrames', { skip: skipMsg('Python pyjstat (with pandas, requests)', HAVE_PYJSTAT) }, async () => {
  const { app, base } = await serve({ maxCalls: 1000 });
  try {
    const out = await script(PYTHON, 'pyjstat_check.py', `
import sys, requests
from pyjstat import pyjstat
q = {"query": [{"code": "Region", "selection": {"filter": "item", "values": ["0301", "1103"]}},
               {"code": "Alder", "selection": {"filter": "item", "values": ["000", "001"]}},
               {"code": "Tid", "selection": {"filter": "top", "values": ["2"]}}],
     "response": {"format": "json-stat2"}}
r = requests.post("${base}/api/v0/no/table/07459", json=q)
r.raise_for_status()
v1 = pyjstat.Dataset.read(r.text).write("dataframe", naming="id")
v1["api"] = "v1"
v2 = pyjstat.Dataset.read("${base}/api/v2/tables/07459/data?valueCodes[Region]=0301,1103&valueCodes[Alder]=000,001"
                          "&valueCodes[ContentsCode]=*&valueCodes[Tid]=top(2)").write("dataframe", naming="id")
v2["api"] = "v2"
import pandas as pd
print("---rows---")
sys.stdout.write(pd.concat([v1, v2]).to_csv(sep="\\t", index=False, na_rep="NA"))
`, {});
    const got = rows(out);
    for (const api of ['v1', 'v2']) {
      const part = got.filter((r) => r.api === api);
      checkRows(part, 2 * 2 * 2, (r) => [[r.Region], codesOf('Kjonn'), [r.Alder], [r.ContentsCode], [r.Tid]], (r) => r.value);
      assert.deepEqual([...new Set(part.map((r) => r.Tid))], TID, `${api}: top 2`);
    }
  } finally {
    await app.close();
  }
});
