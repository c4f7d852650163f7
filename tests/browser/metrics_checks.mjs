// Checks of the console's metrics page against the API's own figures, shared by the browser
// scenarios of console.test.mjs: each plot's marks (their data attributes and the text they
// show) must equal the report GET /api/v1/metrics answers for the same filters
// (docs/metrics.md "The report (JSON)"). Nothing here computes a metric: the API is the truth.

import assert from 'node:assert/strict';

// GET /api/v1/metrics?query from inside the page, with the page's own session.
export async function fetchReport(page, query) {
  return page.evaluate(async (q) => {
    const r = await fetch('/api/v1/metrics?' + q, {headers: {Accept: 'application/json'}, credentials: 'same-origin'});
    if (!r.ok) throw new Error(`GET /api/v1/metrics?${q}: ${r.status} ${await r.text()}`);
    return r.json();
  }, query);
}

// The filters' query the page used ('' parts left out), once its figures are drawn.
export async function shownQuery(page) {
  await page.locator('#metrics-view[data-state="ready"]').waitFor();
  return page.locator('#metrics-view').evaluate((el) => ({query: el.dataset.query, unit: el.dataset.unit,
                                                          seq: el.dataset.appliedChangeSeq}));
}

const num = (text) => (text === '' || text === undefined || text === null ? null : Number(text));
const percent = (share) => `${(share * 100).toFixed(0)}%`;

export async function assertHeadline(page, report) {
  const tiles = await page.$$eval('#metrics-headline .tile', (els) => Object.fromEntries(els.map((e) => [e.dataset.figure, e.dataset.value])));
  const frt = report.totals.first_response;
  const c = report.customers;
  assert.deepEqual(Object.fromEntries(Object.entries(tiles).map(([k, v]) => [k, num(v)])), {
    'frt-p50': frt.p50_s, 'frt-p90': frt.p90_s, fcr: report.totals.first_contact_resolution.share,
    returning: c.returning_share, referral: c.referral_share, ror: (c.return_on_relationship || {}).share ?? null,
  });
}

// Every inbound channel with a first response: its row's p50/p90/p99 and count, each dot's
// figure, the written count. Returns how many channels the plot draws.
export async function assertFirstResponsePlot(page, report) {
  const expected = Object.entries(report.totals.first_response.by_inbound_channel || {}).filter(([, f]) => f.count > 0);
  const rows = await page.$$eval('#frt-plot g.frt-row', (els) => els.map((g) => ({
    ...g.dataset,
    dots: [...g.querySelectorAll('circle.frt-dot')].map((d) => ({...d.dataset})),
    countText: g.querySelector('text.row-count').textContent,
  })));
  if (!expected.length) {
    assert.equal(rows.length, 0);
    assert.match(await page.locator('#frt-plot .empty-state').textContent(), /No first responses/);
    return 0;
  }
  assert.deepEqual(rows.map((r) => r.channel).sort(), expected.map(([c]) => c).sort(), 'one row per inbound channel');
  for (const [channel, f] of expected) {
    const row = rows.find((r) => r.channel === channel);
    assert.equal(num(row.count), f.count, `${channel} count`);
    assert.equal(row.countText, `n = ${f.count}`);
    for (const q of ['p50', 'p90', 'p99']) {
      assert.equal(num(row[`${q}S`]), f[`${q}_s`], `${channel} ${q} on the row`);
      const dot = row.dots.find((d) => d.quantile === q);
      if (f[`${q}_s`] === null) {
        assert.equal(dot, undefined, `${channel} ${q} is null: no dot`);
      } else {
        assert.equal(num(dot.seconds), f[`${q}_s`], `${channel} ${q} dot`);
        assert.equal(num(dot[`${q}S`]), f[`${q}_s`]);
        assert.equal(dot.channel, channel);
      }
    }
  }
  return expected.length;
}

// Every period of the by=week|month report: its point's share (none when no episode closed),
// resolved and closed counts, and the closed count written under it. Returns the periods with
// a share.
export async function assertFcrTrend(page, trend, unit) {
  const groups = trend.groups || [];
  const points = await page.$$eval('#fcr-plot circle.fcr-point', (els) => els.map((e) => ({...e.dataset})));
  const counts = await page.$$eval('#fcr-plot text.count', (els) => els.map((e) => ({...e.dataset, text: e.textContent})));
  if (!groups.some((g) => g.first_contact_resolution.closed > 0)) {
    assert.equal(points.length, 0);
    assert.match(await page.locator('#fcr-plot .empty-state').textContent(), /No closed episodes in this range/);
    return 0;
  }
  assert.equal(points.length, groups.length, 'one point per period');
  groups.forEach((g, i) => {
    const fcr = g.first_contact_resolution;
    assert.equal(points[i][unit], g.key, `point ${i} is ${g.key}`);
    assert.equal(num(points[i].share), fcr.share, `${g.key} share`);
    assert.equal(num(points[i].closed), fcr.closed, `${g.key} closed`);
    assert.equal(num(points[i].resolved), fcr.resolved, `${g.key} resolved`);
    assert.equal(counts[i][unit], g.key);
    assert.equal(counts[i].text, String(fcr.closed), `${g.key} closed episodes written`);
  });
  return groups.filter((g) => g.first_contact_resolution.share !== null).length;
}

// Every cohort × month cell: its retention (and retained customers), the percentage written
// in it. Returns the number of cells.
export async function assertCohortHeatmap(page, report) {
  const cohorts = report.cohorts || [];
  const cells = await page.$$eval('#cohort-plot rect.cell', (els) => els.map((e) => ({...e.dataset})));
  const texts = await page.$$eval('#cohort-plot text.cell-text', (els) => els.map((e) => ({...e.dataset, text: e.textContent})));
  if (!cohorts.length) {
    assert.equal(cells.length, 0);
    assert.match(await page.locator('#cohort-plot .empty-state').textContent(), /no cohorts/);
    return 0;
  }
  const expected = cohorts.flatMap((c) => c.retention.map((share, k) => ({cohort: c.month, k, share, retained: c.retained[k]})));
  assert.equal(cells.length, expected.length, 'one cell per cohort and month');
  expected.forEach((want, i) => {
    assert.equal(cells[i].cohort, want.cohort);
    assert.equal(num(cells[i].k), want.k);
    assert.equal(num(cells[i].retention), want.share, `${want.cohort} +${want.k} retention`);
    assert.equal(num(cells[i].retained), want.retained, `${want.cohort} +${want.k} retained`);
    assert.equal(texts[i].cohort, want.cohort);
    assert.equal(num(texts[i].k), want.k);
    assert.equal(texts[i].text, want.share === null ? '—' : percent(want.share), `${want.cohort} +${want.k} written`);
  });
  return expected.length;
}

// The page as it is now against the API's answer for the filters it shows. The metrics follow
// the change log, so the page and the check must read the same applied change: when the
// consumer moved between them, the page is refreshed and compared again.
export async function assertPageMatchesApi(page) {
  for (let attempt = 0; ; ++attempt) {
    const shown = await shownQuery(page);
    const sep = shown.query ? '&' : '';
    const report = await fetchReport(page, `${shown.query}${sep}by=account`);
    const trend = await fetchReport(page, `${shown.query}${sep}by=${shown.unit}`);
    if ((String(report.applied_change_seq) !== shown.seq || trend.applied_change_seq !== report.applied_change_seq) && attempt < 20) {
      await page.locator('#metrics-filters button[type="submit"]').click();
      continue;
    }
    await assertHeadline(page, report);
    return {shown, report, trend,
            channels: await assertFirstResponsePlot(page, report),
            periods: await assertFcrTrend(page, trend, shown.unit),
            cells: await assertCohortHeatmap(page, report)};
  }
}
