// The agent console in a real browser (Debian's chromium driven by playwright-core) against a
// real hub that tests/e2e/test_api_console.py started and seeded. It passes what the test
// needs as JSON in CONSOLE_TEST (see that file): the base and one-time login URLs, a token,
// omnihubctl and its config (to inject messages while the page is open), the seeded
// customers and words, and where screenshots go.
//
// Every scenario runs on a 1366x768 page; every page records CSP violations and page errors,
// and the last test asserts there were none. axe-core checks each main state of the page.
// The metrics page is compared with GET /api/v1/metrics mark by mark (metrics_checks.mjs).

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';

import {chromium} from 'playwright-core';

import {assertPageMatchesApi, fetchReport} from './metrics_checks.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const config = JSON.parse(process.env.CONSOLE_TEST || '{}');
for (const key of ['base_url', 'login_url', 'token', 'token_name', 'ctl', 'ctl_config', 'artifacts', 'customer', 'other']) {
  if (!config[key]) throw new Error(`CONSOLE_TEST lacks ${key} (run through tests/e2e/test_api_console.py)`);
}
fs.mkdirSync(config.artifacts, {recursive: true});

const VIEWPORT = {width: 1366, height: 768};
const problems = [];  // CSP violations, page errors: none may happen
let browser;
let context;
let page;
let pidCounter = 0;

function watch(p, name) {
  p.on('pageerror', (e) => problems.push(`${name}: page error: ${e.message}`));
  p.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
      problems.push(`${name}: ${m.text()}`);
    }
  });
}

async function shot(name) {
  await page.screenshot({path: path.join(config.artifacts, `${name}.png`)});
}

// Lines of the ingest format through `omnihubctl inject -`.
function inject(lines) {
  const r = spawnSync(config.ctl, ['--config', config.ctl_config, 'inject', '-'],
                      {input: lines.map((l) => JSON.stringify(l) + '\n').join(''), encoding: 'utf8'});
  assert.equal(r.status, 0, `omnihubctl inject failed: ${r.stderr}`);
}

// Polls omnihubctl timeline until the customer's history holds `text` (the hub committed it).
async function waitCommitted(identity, text) {
  for (let i = 0; i < 200; ++i) {
    const r = spawnSync(config.ctl, ['--config', config.ctl_config, 'timeline', identity, '--limit', '20'], {encoding: 'utf8'});
    if (r.status === 0 && r.stdout.includes(JSON.stringify(text).slice(1, -1))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the hub never committed "${text}" for ${identity}`);
}

function inboundSms(text, phone = config.customer.phone) {
  pidCounter += 1;
  return {channel: 'sms', account: config.customer.account, provider_message_id: `browser-${Date.now()}-${pidCounter}`,
          direction: 'inbound', occurred_at: new Date().toISOString(), from: {phone}, text};
}

// axe-core in the page (evaluated through the devtools protocol, which the page's CSP does not
// govern; the console itself never runs injected script). Serious and critical violations fail.
async function assertAccessible(state, p = page) {
  if (!(await p.evaluate(() => Boolean(window.axe)))) await p.evaluate(AXE_SOURCE + '\n;0');
  const result = await p.evaluate(async () => {
    const r = await window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
    return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}));
  });
  fs.writeFileSync(path.join(config.artifacts, `axe-${state}.json`), JSON.stringify(result, null, 2));
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `axe-core (${state}): ${JSON.stringify(bad, null, 2)}`);
}

async function entryCount(text) {
  return page.locator('#timeline .message-text', {hasText: text}).count();
}

async function assertNoDuplicateEntries() {
  const ids = await page.$$eval('#timeline .entry', (els) => els.map((e) => e.dataset.eventId));
  assert.equal(new Set(ids).size, ids.length, 'an entry is shown twice');
}

async function openCustomer(typed) {
  await page.locator('body').click({position: {x: 5, y: 760}});
  await page.keyboard.press('Control+KeyK');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'jump-input');
  await page.keyboard.type(typed);
  await page.keyboard.press('Enter');
}

before(async () => {
  const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
  browser = await chromium.launch({executablePath: config.chromium || '/usr/bin/chromium', args});
  context = await browser.newContext({viewport: VIEWPORT, acceptDownloads: true, locale: 'en-US'});
  page = await context.newPage();
  watch(page, 'console');
});

after(async () => {
  await browser?.close();
});

describe('agent console', () => {
  it('refuses a bad token and signs in with a pasted one', async () => {
    const other = await browser.newContext({viewport: VIEWPORT});
    const p = await other.newPage();
    watch(p, 'login');
    await p.goto(config.base_url + '/');
    await p.locator('#login-token').waitFor();
    await p.screenshot({path: path.join(config.artifacts, '00-login.png')});
    await assertAccessible('login', p);
    await p.fill('#login-token', 'ohk_0000000000000000_notatoken');
    await p.press('#login-token', 'Enter');
    await p.locator('#alert', {hasText: 'not valid'}).waitFor();
    await p.fill('#login-token', config.token);
    await p.press('#login-token', 'Enter');
    await p.locator('#session-name', {hasText: config.token_name}).waitFor();
    assert.equal(await p.locator('#login-view').isHidden(), true);
    // Signing out drops the cookie: a reload asks for a token again.
    await p.locator('#logout-button').click();
    await p.locator('#login-token').waitFor();
    await p.reload();
    await p.locator('#login-token').waitFor();
    await other.close();
  });

  it('signs in through the one-time login link', async () => {
    await page.goto(config.login_url);
    await page.locator('#session-name', {hasText: config.token_name}).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    // Until a customer is open, the most recently active customers are listed.
    await page.locator('#profile-body .recent li', {hasText: config.customer.phone}).waitFor();
    assert.ok(await page.locator('#profile-body .recent li').count() >= 3);
    await shot('01-signed-in');
    await assertAccessible('empty');
  });

  it('opens a customer by a phone number spelled differently and reads the timeline', async () => {
    await openCustomer(config.customer.phone_spelling);
    await page.locator('#timeline .message-text', {hasText: config.customer.first_text}).waitFor();
    assert.match(await page.locator('#profile-body').innerText(), new RegExp(config.customer.phone.replace('+', '\\+')));
    // Channels are named in text, not told by color alone.
    assert.ok(await page.locator('#timeline .channel-badge', {hasText: 'SMS'}).count() > 0);
    assert.ok(await page.locator('#timeline .channel-badge', {hasText: 'WhatsApp'}).count() > 0);
    // The delivery status, the edit (with the earlier text), the reaction, the conversation group.
    await page.locator('#timeline .status', {hasText: 'delivered'}).first().waitFor();
    await page.locator('#timeline .edited').first().waitFor();
    assert.equal(await entryCount(config.customer.edited_text), 1);
    await page.locator('#timeline .reactions', {hasText: '👍'}).first().waitFor();
    assert.ok(await page.locator('#timeline .conversation-head').count() > 0);
    // Every message text decides its own direction (Hebrew next to English).
    const dirs = await page.$$eval('#timeline .message-text', (els) => els.map((e) => e.getAttribute('dir')));
    assert.ok(dirs.length > 0 && dirs.every((d) => d === 'auto'));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= VIEWPORT.width, `the page scrolls sideways at 1366x768 (${width}px)`);
    await shot('02-timeline');
    await assertAccessible('timeline');
  });

  it('shows a message with markup as text and never runs it', async () => {
    const entry = page.locator('#timeline .message-text', {hasText: '<script>'});
    await entry.waitFor();
    assert.equal(await entry.innerText(), config.customer.script_text);
    assert.equal(await page.evaluate(() => window.__omnihubInjected), undefined);
    assert.equal(await page.locator('#timeline img').count(), 0);
  });

  it('moves through entries with j and k', async () => {
    await page.locator('#timeline-heading').focus();
    await page.keyboard.press('KeyJ');
    await page.keyboard.press('KeyJ');
    const second = await page.evaluate(() => document.activeElement.dataset.eventId);
    const ids = await page.$$eval('#timeline .entry', (els) => els.map((e) => e.dataset.eventId));
    assert.equal(second, ids[1]);
    await page.keyboard.press('KeyK');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.eventId), ids[0]);
  });

  it('shows a message injected while the page is open, without a reload', async () => {
    await page.locator('#live-state[data-state="live"]').waitFor();
    // An expanded status history stays open while entries arrive.
    const status = page.locator('#timeline details.status').first();
    await status.locator('summary').click();
    const text = `Live message ${Date.now()}`;
    inject([inboundSms(text)]);
    await page.locator('#timeline .message-text', {hasText: text}).waitFor({timeout: 20000});
    assert.equal(await entryCount(text), 1);
    assert.equal(await status.evaluate((d) => d.open), true);
    // The live region tells screen-reader users.
    await page.locator('#announcer', {hasText: text}).waitFor();
    await assertNoDuplicateEntries();
    await shot('03-live-message');
  });

  it('after a dropped connection shows a message sent meanwhile exactly once', async () => {
    await context.setOffline(true);
    await page.locator('#live-state[data-state="offline"]').waitFor();
    const text = `Sent while offline ${Date.now()}`;
    inject([inboundSms(text)]);
    await waitCommitted(`phone:${config.customer.phone}`, text);
    assert.equal(await entryCount(text), 0);
    await context.setOffline(false);
    await page.locator('#timeline .message-text', {hasText: text}).waitFor({timeout: 20000});
    await page.locator('#live-state[data-state="live"]').waitFor();
    // A second live message after the reconnect: still every entry once.
    const after = `After reconnect ${Date.now()}`;
    inject([inboundSms(after)]);
    await page.locator('#timeline .message-text', {hasText: after}).waitFor({timeout: 20000});
    assert.equal(await entryCount(text), 1);
    assert.equal(await entryCount(after), 1);
    await assertNoDuplicateEntries();
  });

  it('reconnects when the stream is cut from the page', async () => {
    // The browser's own offline/online events: the console closes its EventSource and opens a
    // new one from the last change it saw (?last_event_id=).
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.locator('#live-state[data-state="offline"]').waitFor();
    const text = `While cut ${Date.now()}`;
    inject([inboundSms(text)]);
    await waitCommitted(`phone:${config.customer.phone}`, text);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.locator('#timeline .message-text', {hasText: text}).waitFor({timeout: 20000});
    assert.equal(await entryCount(text), 1);
    await assertNoDuplicateEntries();
  });

  for (const [script, word] of [['Hebrew', 'hebrew_word'], ['Chinese', 'chinese_word']]) {
    it(`finds a ${script} word with / and highlights it`, async () => {
      await page.locator('#timeline-heading').focus();
      await page.keyboard.press('Slash');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input');
      await page.keyboard.type(config[word]);
      await page.keyboard.press('Enter');
      const mark = page.locator('#results-list .snippet mark', {hasText: config[word]}).first();
      await mark.waitFor();
      assert.equal(await page.locator('#results-list .snippet').first().getAttribute('dir'), 'auto');
      // The markers themselves never show.
      assert.ok(!(await page.locator('#results-list').innerText()).includes('[['));
      await shot(`04-search-${script.toLowerCase()}`);
    });
  }

  it('search results pass axe-core and open their customer', async () => {
    await assertAccessible('search');
    await page.locator('#results-list .hit-open').first().click();
    await page.locator('#profile-body', {hasText: config.customer.phone}).waitFor();
    // The open ends when the timeline has loaded and the hit's entry has the focus; until then
    // a key typed elsewhere may land on the timeline.
    await page.waitForFunction(() => document.activeElement && document.activeElement.tagName === 'LI');
  });

  it('shortcuts follow the key position on a Hebrew layout and not while typing', async () => {
    await page.locator('#search-input').focus();
    await page.keyboard.press('KeyN');
    assert.equal(await page.locator('#note-dialog').isVisible(), false);
    await page.locator('#timeline-heading').focus();
    // The N key on a Hebrew layout types מ.
    await page.evaluate(() => document.activeElement.dispatchEvent(
        new KeyboardEvent('keydown', {code: 'KeyN', key: 'מ', bubbles: true, cancelable: true})));
    await page.locator('#note-dialog').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'note-text');
    await page.keyboard.press('Escape');
    await page.locator('#note-dialog').waitFor({state: 'hidden'});
    await page.keyboard.press('Shift+Slash');
    await page.locator('#help-dialog').waitFor();
    await shot('05-shortcuts');
    await assertAccessible('shortcuts');
    await page.keyboard.press('Escape');
    await page.locator('#help-dialog').waitFor({state: 'hidden'});
  });

  it('adds a note with n', async () => {
    await page.locator('#timeline-heading').focus();
    await page.keyboard.press('KeyN');
    const text = `Called back, replacement on its way ${Date.now()}`;
    await page.fill('#note-text', text);
    await shot('06-note');
    await page.locator('#note-form button[type="submit"]').click();
    const entry = page.locator('#timeline .entry.kind-note', {hasText: text});
    await entry.waitFor({timeout: 20000});
    assert.match(await entry.innerText(), new RegExp(`Note by ${config.token_name}`));
    assert.equal(await entryCount(text), 1);
  });

  it('explains why the identities are together', async () => {
    await page.locator('#explain-button').click();
    await page.locator('#explain-body .explain-identities li').first().waitFor();
    assert.match(await page.locator('#explain-body').innerText(), new RegExp(config.customer.phone.replace('+', '\\+')));
    await shot('07-explain');
    await assertAccessible('explain');
    await page.keyboard.press('Escape');
  });

  it('merges another customer after a preview, then undoes the merge', async () => {
    await page.locator('#merge-button').click();
    await page.fill('#merge-other', config.other.identity);
    await page.fill('#merge-reason', 'same person, confirmed by phone');
    await page.locator('#merge-preview-button').click();
    await page.locator('#merge-preview', {hasText: config.other.argument}).waitFor();
    await shot('08-merge-preview');
    // A preview changes nothing.
    assert.ok(!(await page.locator('#profile-body').innerText()).includes(config.other.argument));
    await page.locator('#merge-confirm-button').click();
    await page.locator('#merge-preview .merge-done').waitFor();
    await page.locator('#profile-body', {hasText: config.other.argument}).waitFor({timeout: 20000});
    await page.locator('#timeline .message-text', {hasText: config.other.text}).waitFor({timeout: 20000});
    await page.locator('#merge-preview .split-button').click();
    await page.locator('#split-dialog').waitFor();
    await page.fill('#split-reason', 'different people after all');
    await page.locator('#split-form button[type="submit"]').click();
    await page.locator('#split-dialog').waitFor({state: 'hidden'});
    await page.waitForFunction((arg) => !document.getElementById('profile-body').innerText.includes(arg),
                               config.other.argument, {timeout: 20000});
    await shot('09-merge-undone');
  });

  it('loads older history as the timeline scrolls', async () => {
    await openCustomer(config.long.phone);
    await page.locator('#timeline .message-text', {hasText: `Older message ${config.long.count - 1}`}).waitFor();
    const panel = page.locator('#timeline-panel');
    const atStart = () => page.locator('#timeline-end-text', {hasText: 'Start of the history'}).count();
    for (let i = 0; i < 10 && !(await atStart()); ++i) {
      const shown = await page.locator('#timeline .entry').count();
      await panel.evaluate((el) => { el.scrollTop = el.scrollHeight; });
      await page.waitForFunction((n) => document.querySelectorAll('#timeline .entry').length > n ||
                                        document.getElementById('timeline-end-text').textContent.includes('Start'), shown);
    }
    await page.locator('#timeline-end-text', {hasText: 'Start of the history'}).waitFor();
    assert.equal(await page.locator('#timeline .entry').count(), config.long.count);
    assert.equal(await entryCount('Older message 0'), 1);
    await assertNoDuplicateEntries();
  });

  it('searches the open customer only when asked', async () => {
    await page.selectOption('#search-scope', 'customer');
    await page.fill('#search-input', config.hebrew_word);
    await page.press('#search-input', 'Enter');
    await page.locator('#results-summary', {hasText: 'No message matches'}).waitFor();
    await page.selectOption('#search-scope', 'all');
    await page.press('#search-input', 'Enter');
    await page.locator('#results-list .snippet mark', {hasText: config.hebrew_word}).first().waitFor();
  });

  it('links an identity', async () => {
    await page.locator('#link-button').click();
    await page.fill('#link-identity', `email:${config.long.link_email}`);
    await page.fill('#link-reason', 'customer wrote from this address');
    await page.locator('#link-form button[type="submit"]').click();
    await page.locator('#link-dialog').waitFor({state: 'hidden'});
    await page.locator('#profile-body', {hasText: config.long.link_email}).waitFor({timeout: 20000});
  });

  it('reloads after a reconnect too far behind (reset)', async () => {
    await page.locator('#live-state[data-state="live"]').waitFor();
    await context.setOffline(true);
    await page.locator('#live-state[data-state="offline"]').waitFor();
    const stamp = Date.now();
    const texts = Array.from({length: config.replay_max + 10}, (_, i) => `Burst ${stamp} #${i}`);
    inject(texts.map((t) => inboundSms(t, config.long.phone)));
    await waitCommitted(`phone:${config.long.phone}`, texts[texts.length - 1]);
    await context.setOffline(false);
    await page.locator('#announcer', {hasText: 'timeline was read again'}).waitFor({timeout: 20000});
    await page.locator('#timeline .message-text', {hasText: texts[texts.length - 1]}).waitFor({timeout: 20000});
    for (const t of [texts[0], texts[texts.length - 1]]) assert.equal(await entryCount(t), 1);
    await assertNoDuplicateEntries();
  });

  it('opens a customer by a name through search', async () => {
    await openCustomer(config.other.name);
    await page.locator('#profile-body', {hasText: config.other.argument}).waitFor();
    await page.locator('#timeline .message-text', {hasText: config.other.text}).waitFor();
  });

  it('downloads an HTML attachment and never renders it', async () => {
    await openCustomer(config.other.email);
    const link = page.locator('#timeline a.attachment-link', {hasText: config.other.attachment_name});
    await link.waitFor({timeout: 20000});
    const href = await link.getAttribute('href');
    assert.match(href, /^\/api\/v1\/attachments\/[0-9a-f]{64}\?name=/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), config.other.attachment_name);
    // Opened directly, the browser downloads it as well: it is never a page of the console's origin.
    const direct = await context.newPage();
    watch(direct, 'attachment');
    const [second] = await Promise.all([direct.waitForEvent('download'), direct.goto(config.base_url + href).catch(() => null)]);
    assert.equal(second.suggestedFilename(), config.other.attachment_name);
    await direct.close();
    for (const p of context.pages()) {
      assert.equal(await p.evaluate(() => window.__omnihubInjected), undefined);
    }
    assert.equal(await page.evaluate(() => localStorage.getItem('omnihub-injected')), null);
    await shot('10-attachment');
  });

  it('shows the relationship metrics exactly as the API reports them', async () => {
    await page.goto(config.base_url + '/');
    await page.locator('#workspace').waitFor();
    // The metrics follow the change log: wait until the seeded channels have first responses.
    for (let i = 0; ; ++i) {
      const report = await fetchReport(page, 'by=channel');
      const have = Object.keys(report.totals.first_response.by_inbound_channel || {});
      if (config.metrics.channels.every((c) => have.includes(c))) break;
      assert.ok(i < 300, `the metrics never counted ${config.metrics.channels} (have ${have})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // From the navigation, by keyboard: the last 90 days, FCR by week.
    await page.locator('#nav-metrics').focus();
    await page.keyboard.press('Enter');
    let result = await assertPageMatchesApi(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'metrics-heading');
    assert.equal(await page.locator('#nav-metrics').getAttribute('aria-current'), 'page');
    assert.ok(await page.locator('#workspace').isHidden());
    const now = new Date();
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 90 * 86400e3);
    assert.equal(decodeURIComponent(result.shown.query), `since=${since.toISOString().replace('.000Z', 'Z')}`);
    assert.equal(result.shown.unit, 'week');
    assert.equal(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('view'), 'metrics');

    // A link opens the page with its filters: all time, FCR by month, the seeded three months.
    await page.goto(config.base_url + '/#view=metrics&range=all');
    result = await assertPageMatchesApi(page);
    assert.equal(result.shown.query, '');
    assert.equal(result.shown.unit, 'month');
    assert.ok(result.channels >= config.metrics.channels.length, `channels drawn: ${result.channels}`);
    assert.ok(result.periods >= 3, `FCR points with a share: ${result.periods}`);
    assert.ok(result.cells >= 3, `heatmap cells: ${result.cells}`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true);
    assert.equal(await page.locator('#metrics-view').evaluate((el) => el.scrollWidth <= el.clientWidth), true,
                 'the metrics page scrolls sideways at 1366x768');
    await assertAccessible('metrics');
    await shot('metrics-page');

    // One inbound channel: the fragment follows, so the link can be shared.
    await page.locator('#metrics-channel').selectOption('whatsapp');
    result = await assertPageMatchesApi(page);
    assert.equal(result.shown.query, 'channel=whatsapp');
    assert.equal(result.channels, 1);
    assert.match(await page.evaluate(() => location.hash), /channel=whatsapp/);

    // A channel without messages: the plots say what is missing.
    await page.locator('#metrics-channel').selectOption('telegram');
    result = await assertPageMatchesApi(page);
    assert.equal(result.channels, 0);
    assert.equal(result.periods, 0);
    assert.match(await page.locator('#fcr-plot').textContent(), /No closed episodes in this range/);
    await assertAccessible('metrics-empty');

    // Back to the customer workspace, and to the metrics again with m (by key position).
    await page.locator('#nav-customers').click();
    await page.locator('#workspace').waitFor();
    assert.ok(await page.locator('#metrics-view').isHidden());
    await page.locator('body').click({position: {x: 5, y: 760}});
    await page.keyboard.press('KeyM');
    await page.locator('#metrics-view[data-state="ready"]').waitFor();
    await page.locator('#nav-customers').click();
    await page.locator('#workspace').waitFor();
  });

  it('had no CSP violation and no page error', () => {
    assert.deepEqual(problems, []);
  });
});
