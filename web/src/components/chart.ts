// The result as a chart: lines over time, bars over categories, a population pyramid for sex by age. One value
// axis per unit (at most two; series in further units are left out and said so), axis titles with the units,
// a legend below the plot that scrolls on a phone, and downloads as PNG and SVG.
// ECharts is loaded on first use, so pages without a chart stay light.

import { h } from '../dom.js';
import { locale, type Lang, type Texts } from '../i18n.js';
import { chartModel, type ChartModel, type Dataset } from '../jsonstat.js';
import { saveBlob } from '../ui.js';

type ECharts = typeof import('./echartsParts.js');
let loaded: Promise<ECharts> | null = null;

const COLORS = ['#00824d', '#274247', '#f26539', '#3396d2', '#a3136c', '#c78800', '#1a9d49', '#6c6c6c', '#075745', '#ed51c9'];

/** The ECharts option of a model; `narrow` puts the legend in a scrolling row under the plot. */
export function chartOption(model: ChartModel, title: string, lang: Lang, t: Texts, narrow: boolean): { option: Record<string, unknown>; dropped: number } {
  const nf = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 });
  const fmt = (v: unknown) => (typeof v === 'number' ? nf.format(Math.abs(v)) : '..');
  const units = [...new Set(model.series.map((s) => s.unit ?? ''))];
  const axisUnits = units.slice(0, 2);
  const series = model.series.filter((s) => axisUnits.includes(s.unit ?? ''));
  const dropped = model.series.length - series.length;
  const many = series.length > 1;
  // on a phone the legend is a list under the chart (every name readable, the list scrolls), not a canvas strip
  const legend = many ? (narrow ? { show: false } : { type: 'scroll', bottom: 0, left: 'center', orient: 'horizontal', itemGap: 14, textStyle: { fontSize: 12 } }) : undefined;
  const base = {
    animation: false,
    color: COLORS,
    backgroundColor: '#ffffff',
    title: { text: title, left: 0, top: 0, textStyle: { fontSize: narrow ? 12 : 14, lineHeight: narrow ? 16 : 18, fontWeight: 600, width: narrow ? 330 : 900, overflow: 'break' } },
    tooltip: { trigger: model.kind === 'line' ? 'axis' : 'item', valueFormatter: fmt, confine: true },
    legend,
    grid: { left: 8, right: 16, top: narrow ? 64 : 56, bottom: many && !narrow ? 44 : 28, containLabel: true },
  };
  const valueAxis = (unit: string, i: number) => ({
    type: 'value',
    name: unit || t.value,
    nameLocation: 'end',
    nameTextStyle: { align: i === 0 ? 'left' : 'right', color: '#4d5b5e' },
    position: i === 0 ? 'left' : 'right',
    scale: model.kind === 'line',
    axisLabel: { formatter: (v: number) => fmt(v) },
    splitLine: { show: i === 0 },
  });
  const categoryAxis = { type: 'category', data: model.categories, name: model.categoryTitle, nameLocation: 'middle', nameGap: 28, axisLabel: { hideOverlap: true, rotate: model.kind === 'bar' && model.categories.length > 8 ? 30 : 0 } };
  if (model.kind === 'pyramid') {
    // the first sex to the left (negative), the second to the right
    return {
      option: {
        ...base,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt, confine: true },
        xAxis: { ...valueAxis(axisUnits[0] ?? '', 0), position: 'bottom', scale: false, nameLocation: 'middle', nameGap: 26 },
        yAxis: { ...categoryAxis, nameLocation: 'end', nameGap: 8, axisLabel: { hideOverlap: true } },
        series: series.map((s, i) => ({ name: s.name, type: 'bar', stack: 'pyramid', barCategoryGap: '8%', data: s.data.map((v) => (v === null ? null : i === 0 ? -v : v)) })),
      },
      dropped,
    };
  }
  return {
    option: {
      ...base,
      xAxis: categoryAxis,
      yAxis: axisUnits.map(valueAxis),
      series: series.map((s) => ({ name: s.name, type: model.kind, yAxisIndex: axisUnits.indexOf(s.unit ?? ''), data: s.data, connectNulls: false, showSymbol: model.categories.length < 40, barMaxWidth: 64 })),
    },
    dropped,
  };
}

export async function renderChart(container: HTMLElement, ds: Dataset, lang: Lang, t: Texts): Promise<() => void> {
  const model = chartModel(ds);
  container.replaceChildren();
  if (!model.series.length || model.series.every((s) => s.data.every((x) => x === null))) {
    container.appendChild(h('p', null, t.chartNothing));
    return () => undefined;
  }
  const limit = model.kind === 'line' ? model.series.length : model.categories.length;
  const info = h('p', { class: 'chart-info' }, model.kind === 'bar' ? t.chartNoTime : model.kind === 'pyramid' ? t.chartPyramid : '', model.total > limit ? ` ${t.chartLimited(model.total, limit)}` : '');
  const canvasBox = h('div', { class: 'chart', role: 'img', 'aria-label': ds.label });
  const png = h('button', { type: 'button', class: 'secondary small', id: 'chart-png' }, t.downloadPng);
  const svg = h('button', { type: 'button', class: 'secondary small', id: 'chart-svg' }, t.downloadSvg);
  const legendBox = h('ul', { class: 'chart-legend', 'aria-label': t.legend, hidden: true });
  // regions are drawn as lines or bars: there is no boundary file to draw a map from
  const mapsNote = ds.dims.some((d) => d.role === 'geo' && d.values.length > 1) ? h('p', { class: 'help maps-note' }, t.mapsLeftOut) : null;
  container.append(info, canvasBox, legendBox, h('div', { class: 'actions' }, png, svg), mapsNote ?? '');
  loaded ??= import('./echartsParts.js');
  const { echarts } = await loaded;
  const narrow = () => canvasBox.clientWidth < 560;
  const chart = echarts.init(canvasBox, undefined, { renderer: 'canvas' });
  const draw = () => {
    const { option, dropped } = chartOption(model, ds.label, lang, t, narrow());
    chart.setOption(option, true);
    if (dropped) info.append(` ${t.chartUnitsDropped(dropped)}`);
    drawLegend(option);
  };
  const drawLegend = (option: Record<string, unknown>) => {
    const shown = (option.series as { name: string }[]) ?? [];
    const html = narrow() && shown.length > 1;
    legendBox.hidden = !html;
    if (!html) return legendBox.replaceChildren();
    legendBox.replaceChildren(
      ...shown.map((s, i) => {
        const b = h('button', { type: 'button', class: 'legend-item', 'aria-pressed': 'true' }, h('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}`, 'aria-hidden': 'true' }), s.name);
        b.addEventListener('click', () => {
          chart.dispatchAction({ type: 'legendToggleSelect', name: s.name });
          b.setAttribute('aria-pressed', String(b.getAttribute('aria-pressed') !== 'true'));
        });
        return h('li', null, b);
      }),
    );
  };
  draw();
  canvasBox.dataset.kind = model.kind;
  const name = (ext: string) => `${(ds.label.split(':')[0] || 'chart').replace(/[^\w-]+/g, '_')}.${ext}`;
  png.addEventListener('click', () => {
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    // decoded here: the page's content security policy does not let fetch() read data: URLs
    const bin = atob(url.slice(url.indexOf(',') + 1));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    saveBlob(new Blob([bytes], { type: 'image/png' }), name('png'));
  });
  svg.addEventListener('click', () => {
    // the same chart drawn once more as an SVG string (no element needed), at the size shown
    const svgChart = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: canvasBox.clientWidth || 800, height: canvasBox.clientHeight || 420 });
    svgChart.setOption(chartOption(model, ds.label, lang, t, narrow()).option);
    const text = svgChart.renderToSVGString();
    svgChart.dispose();
    saveBlob(new Blob([text], { type: 'image/svg+xml' }), name('svg'));
  });
  const onResize = () => {
    chart.resize();
    draw();
  };
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    chart.dispose();
  };
}
