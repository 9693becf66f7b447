import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type Plan } from '../../src/core/engine.js';
import {
  codelistDomain,
  domainCodes,
  domainIndex,
  eliminatePlan,
  exceedsCellLimit,
  findGrouping,
  findValueSet,
  groupingDomain,
  leftOutPlan,
  planCells,
  selectPlan,
  SelectionError,
  valueSetDomain,
  variableDomain,
} from '../../src/query/selection.js';
import { bruteSum, build07459 } from './cube07459.js';

const cube = build07459({ withSymbols: true });
const [region, kjonn, alder, contents, tid] = cube.meta.variables;

test('value set and grouping lookup accepts bare and prefixed ids, case-sensitively', () => {
  assert.equal(findValueSet(region, 'Fylker')?.id, 'Fylker');
  assert.equal(findValueSet(region, 'vs_Fylker')?.id, 'Fylker');
  assert.equal(findValueSet(region, 'fylker'), undefined);
  assert.equal(findGrouping(region, 'agg_KommSummer')?.id, 'KommSummer');
  assert.equal(findGrouping(region, 'KommSummer')?.id, 'KommSummer');
  assert.equal(findGrouping(region, 'Fylker'), undefined);
  assert.equal(codelistDomain(region, 'Fylker', 'grouping'), undefined);
  assert.deepEqual(domainCodes(codelistDomain(region, 'Fylker', 'valueSet')!), ['03', '11']);
});

test('domains: variable, value set, grouping in three modes', () => {
  assert.deepEqual(domainCodes(variableDomain(kjonn)), ['1', '2']);
  assert.deepEqual(domainCodes(valueSetDomain(region, findValueSet(region, 'Kommun')!)), ['0301', '1101', '1103', '1108']);
  const g = findGrouping(region, 'Fylker2024')!;
  assert.deepEqual(domainCodes(groupingDomain(region, g, 'aggregated')), ['F-03', 'F-11']);
  assert.deepEqual(domainCodes(groupingDomain(region, g, 'single')), ['0301', '1101', '1103', '1108']);
  assert.deepEqual(domainCodes(groupingDomain(region, g, 'all')), ['F-03', '0301', 'F-11', '1101', '1103', '1108']);
});

test('selectPlan picks plain values and groups aggregated ones; results equal brute-force sums', () => {
  const g = groupingDomain(region, findGrouping(region, 'Fylker2024')!, 'all');
  const ix = domainIndex(g);
  const chosen = ['F-11', '1103'].map((c) => ix.get(c)!);
  const plan: Plan = [
    selectPlan(g, chosen),
    selectPlan(variableDomain(kjonn), [1]),
    eliminatePlan(alder),
    leftOutPlan(contents),
    selectPlan(variableDomain(tid), [0, 9]),
  ];
  assert.equal(plan[0].kind, 'group');
  assert.equal(plan[1].kind, 'pick');
  assert.equal(planCells(plan), 2 * 1 * 1 * 2);
  const out = evaluate(cube, plan);
  assert.deepEqual(
    out.meta.variables.map((v) => v.code),
    ['Region', 'Kjonn', 'ContentsCode', 'Tid'],
  );
  assert.deepEqual(out.meta.variables[0].values.map((v) => v.code), ['F-11', '1103']);
  const ages = alder.values.map((v) => v.code);
  let k = 0;
  for (const regs of [['1101', '1103', '1108'], ['1103']]) {
    for (const year of ['2015', '2024']) {
      const expect = bruteSum(cube, [regs, ['2'], ages, ['Personer1'], [year]]);
      const st = out.status ? out.status[k] : 0;
      if (expect === null) assert.ok(st !== 0 && st !== 8, `cell ${k} should be missing`);
      else if (st === 8) assert.equal(expect, 0);
      else {
        assert.equal(st, 0);
        assert.equal(out.values[k], expect);
      }
      k++;
    }
  }
});

test('elimination: elimination value, value-set elimination value, sum, mandatory refused', () => {
  const p = eliminatePlan(region);
  assert.equal(p.kind, 'eliminate');
  assert.deepEqual(Array.from((p as { inputs: ArrayLike<number> }).inputs), [0]);
  const k = eliminatePlan(kjonn) as { inputs: ArrayLike<number> };
  assert.deepEqual(Array.from(k.inputs), [0, 1]);
  const vsAll = eliminatePlan(alder, valueSetDomain(alder, findValueSet(alder, 'AlleAldre00B')!)) as { inputs: ArrayLike<number> };
  assert.equal(vsAll.inputs.length, alder.values.length);
  assert.throws(() => eliminatePlan(tid), SelectionError);
  const lo = leftOutPlan(tid) as { kind: string; indices: ArrayLike<number> };
  assert.equal(lo.kind, 'pick');
  assert.equal(lo.indices.length, tid.values.length);
});

test('cell limit', () => {
  const plan: Plan = cube.meta.variables.map((v) => leftOutPlan(v));
  // Region, Kjonn, Alder eliminated; ContentsCode 1, Tid 10
  assert.equal(planCells(plan), 10);
  assert.equal(exceedsCellLimit(plan, 10), false);
  assert.equal(exceedsCellLimit(plan, 9), true);
  assert.equal(exceedsCellLimit(plan, 0), false);
});
