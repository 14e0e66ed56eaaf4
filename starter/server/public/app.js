// The demo page: no framework, no build step. Text from the server is only ever set with textContent, but for
// the answer's HTML, which the server renders with markdown-it, raw HTML off (starter/answer/render.ts).
const $ = (id) => document.getElementById(id);
const form = $('ask-form');
const input = $('question');
const kInput = $('k');
const button = $('ask-button');
const status = $('status');
const result = $('result');
const answerEl = $('answer');
const dialog = $('passage');
const CITATION = /\[([A-Za-z0-9_.:#-]+)\]/g;
const passages = new Map();
let lastAnswer = '';
/** The server's own k (the config's); sent only when the reader changes it. */
let defaultK;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('data-') || key.startsWith('aria-')) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const fmt = (x, digits = 3) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—');

async function errorMessage(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {}
  const retry = response.headers.get('retry-after');
  const parts = [body.message ?? `The server answered ${response.status}.`];
  if (body.hint) parts.push(body.hint);
  if (response.status === 429 && retry) parts.push(`Try again in ${retry} s.`);
  return parts.join(' ');
}

/** Server-sent events over fetch (EventSource cannot POST). */
async function* readEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) yield { event, data: JSON.parse(data.join('\n')) };
      end = buffer.indexOf('\n\n');
    }
  }
}

function renderRetrieved(retrieved, citedIds = []) {
  const cited = new Set(citedIds);
  const max = Math.max(...retrieved.map((r) => r.score), Number.MIN_VALUE);
  const rows = retrieved.map((r, i) => {
    const id = r.passageIds[0] ?? r.chunkId;
    const bar = el('div', { class: 'score-bar', 'aria-hidden': 'true' }, el('span'));
    bar.firstChild.style.width = `${Math.max(0, Math.min(100, (r.score / max) * 100))}%`;
    const row = el(
      'tr',
      { class: r.passageIds.some((p) => cited.has(p)) ? 'cited' : '' },
      el('td', { class: 'num', text: String(i + 1) }),
      el('td', {}, el('button', { type: 'button', class: 'link', text: id, 'data-passage': id, 'aria-label': `Open passage ${id}` }), el('span', { class: 'title', text: r.title })),
      el('td', { class: 'num' }, fmt(r.score, 4), bar),
    );
    return row;
  });
  $('retrieved').replaceChildren(...rows);
}

/** Where the answer quotes the passage (extractive answers are verbatim sentences), or -1. */
function findQuote(text, answer) {
  const sentences = answer
    .replace(CITATION, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 20);
  for (const sentence of sentences) {
    const at = text.indexOf(sentence);
    if (at >= 0) return { at, length: sentence.length };
  }
  return { at: -1, length: 0 };
}

/** The passage text (or a window of `context` characters around the quote) with the quoted part marked. */
function quoted(text, answer, context = Infinity) {
  const { at, length } = findQuote(text, answer);
  if (at < 0) return [context === Infinity || text.length <= 2 * context ? text : `${text.slice(0, 2 * context)}…`];
  const from = Math.max(0, at - context);
  const to = Math.min(text.length, at + length + context);
  return [`${from > 0 ? '…' : ''}${text.slice(from, at)}`, el('mark', { text: text.slice(at, at + length) }), `${text.slice(at + length, to)}${to < text.length ? '…' : ''}`];
}

function renderCitations(citations) {
  $('no-citations').hidden = citations.length > 0;
  $('citations').replaceChildren(
    ...citations.map((c) =>
      el(
        'li',
        {},
        el('button', { type: 'button', class: 'link', text: c.title || c.id, 'data-passage': c.id, 'aria-label': `Open passage ${c.id}: ${c.title}` }),
        el('span', { class: 'title', text: c.id }),
        el('blockquote', {}, ...quoted(c.text, lastAnswer, 160)),
      ),
    ),
  );
  for (const c of citations) passages.set(c.id, c);
}

/** The steps an agent or planner took (lines formatted by the server); hidden for single-shot answers. */
function renderTrace(trace) {
  $('trace').hidden = !trace;
  if (!trace) return;
  $('trace-summary').textContent = `${trace.lines.length} steps (stopped: ${trace.stopped})`;
  // formatTraceStep numbers its lines; the list numbers them already.
  $('trace-steps').replaceChildren(...trace.lines.map((line) => el('li', { text: line.replace(/^\d+\. /, '') })));
}

function renderDone(body) {
  lastAnswer = body.answer;
  // The short span first (who, when, how many), then the quote it comes from: as `ragfolio ask` prints it.
  $('short-answer').hidden = !body.short;
  $('short-answer').textContent = body.short ? `${body.short} (from the quote below)` : '';
  answerEl.innerHTML = body.answerHtml;
  renderCitations(body.citations);
  renderRetrieved(
    body.retrieved,
    body.citations.map((c) => c.id),
  );
  renderTrace(body.trace);
  const usage = body.usage ? ` · ${body.usage.inputTokens} + ${body.usage.outputTokens} tokens` : '';
  $('answer-meta').textContent = `${body.abstained ? 'Abstained · ' : ''}${fmt(body.latencyMs, 0)} ms (retrieval ${fmt(body.retrievalMs, 0)} ms) · ${body.generator}${usage}`;
  setStatus(`Answered in ${fmt(body.latencyMs, 0)} ms.`);
}

async function ask(event) {
  event.preventDefault();
  const question = input.value.trim();
  if (!question) {
    setStatus('Type a question first.', true);
    input.focus();
    return;
  }
  const k = Number(kInput.value);
  button.disabled = true;
  setStatus('Searching the corpus…');
  try {
    const response = await fetch('/api/ask', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream, application/json' },
      body: JSON.stringify(Number.isInteger(k) && k > 0 && k !== defaultK ? { question, k } : { question }),
    });
    if (!response.ok) return setStatus(await errorMessage(response), true);
    result.hidden = false;
    answerEl.textContent = '';
    $('short-answer').hidden = true;
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) return renderDone(await response.json());
    let streamed = '';
    for await (const { event: name, data } of readEvents(response)) {
      if (name === 'retrieved') {
        renderRetrieved(data);
        setStatus('Writing the answer…');
      } else if (name === 'token') {
        streamed += data.text;
        answerEl.textContent = streamed;
      } else if (name === 'done') renderDone(data);
      else if (name === 'error') setStatus(data.message ?? 'The answer failed.', true);
    }
  } catch {
    setStatus('Could not reach the server. Is `ragfolio serve` still running?', true);
  } finally {
    button.disabled = false;
  }
}

async function openPassage(id, opener) {
  let passage = passages.get(id);
  if (!passage) {
    const response = await fetch(`/api/passages/${encodeURIComponent(id)}`);
    if (!response.ok) return setStatus(await errorMessage(response), true);
    passage = await response.json();
    passages.set(id, passage);
  }
  $('passage-title').textContent = passage.title || passage.id;
  $('passage-meta').textContent = `Passage ${passage.id} · document ${passage.docId}`;
  $('passage-text').replaceChildren(...quoted(passage.text, lastAnswer));
  dialog.returnFocusTo = opener;
  dialog.showModal();
}

dialog.addEventListener('close', () => dialog.returnFocusTo?.focus());
// Clicking the backdrop (the dialog element itself, outside its content) closes it too.
dialog.addEventListener('click', (event) => {
  if (event.target === dialog) dialog.close();
});
document.addEventListener('click', (event) => {
  const target = event.target.closest?.('[data-passage]');
  if (target) openPassage(target.getAttribute('data-passage'), target);
});
form.addEventListener('submit', ask);

function ciBar(lo, mean, hi) {
  const bar = el('div', { class: 'ci', 'aria-hidden': 'true' }, el('span', { class: 'range' }), el('span', { class: 'mean' }));
  const clamp = (x) => Math.max(0, Math.min(1, x)) * 100;
  bar.children[0].style.left = `${clamp(lo)}%`;
  bar.children[0].style.width = `${clamp(hi) - clamp(lo)}%`;
  bar.children[1].style.left = `${clamp(mean)}%`;
  return bar;
}

async function loadEval() {
  const box = $('eval');
  try {
    const response = await fetch('/api/eval/latest');
    if (response.status === 404) {
      const body = await response.json();
      box.replaceChildren(el('p', { text: body.message }), el('p', { class: 'hint muted small', text: body.hint ?? '' }));
      return;
    }
    if (!response.ok) return box.replaceChildren(el('p', { class: 'muted', text: await errorMessage(response) }));
    const run = await response.json();
    const rows = Object.entries(run.metrics).map(([name, m]) =>
      el(
        'tr',
        {},
        el('td', { text: name }),
        el('td', { class: 'num', text: fmt(m.mean) }),
        el('td', { class: 'num' }, `${fmt(m.ci95[0])}–${fmt(m.ci95[1])}`, ciBar(m.ci95[0], m.mean, m.ci95[1])),
        el('td', { class: 'num', text: m.mde === null ? '—' : `±${fmt(m.mde, 2)}` }),
        el('td', { class: 'num', text: String(m.n) }),
      ),
    );
    const n = Math.max(0, ...Object.values(run.metrics).map((m) => m.n));
    box.replaceChildren(
      el(
        'p',
        { class: 'small' },
        el('strong', { text: run.label }),
        ` · split ${run.split} · ${run.questions || n} questions · ${run.generator} · ${run.finishedAt.slice(0, 16).replace('T', ' ')} UTC`,
      ),
      el(
        'table',
        {},
        el('caption', { class: 'visually-hidden', text: 'Metric means with 95% bootstrap confidence intervals, minimum detectable effects and the number of questions each is computed on' }),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col', text: 'metric' }),
            el('th', { scope: 'col', class: 'num', text: 'mean' }),
            el('th', { scope: 'col', class: 'num', text: '95% CI' }),
            el('th', { scope: 'col', class: 'num', text: 'MDE' }),
            el('th', { scope: 'col', class: 'num', text: 'n' }),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
      el('p', {
        class: 'muted small',
        text: `n: the questions each metric is computed on (some apply only to some questions: a correct abstention only to unanswerable ones). Percentile bootstrap CIs (${run.stats.resamples.toLocaleString('en')} resamples, seed ${run.stats.seed}). ${run.mdeMeaning ?? ''} p50 latency ${fmt(run.operational.latencyMsP50, 0)} ms.`,
      }),
    );
  } catch {
    box.replaceChildren(el('p', { class: 'muted', text: 'Could not load the eval summary.' }));
  }
}

async function loadHealth() {
  try {
    const health = await (await fetch('/api/health')).json();
    $('health').textContent = `${health.passages.toLocaleString('en')} passages · ${health.retriever} retrieval · ${health.generator}${health.streaming ? ' (streaming)' : ''}`;
    defaultK = health.k;
    kInput.value = String(health.k);
    kInput.max = String(health.maxK);
    input.maxLength = health.maxQuestionChars;
    $('score-note').textContent = health.scores;
  } catch {}
}

loadHealth();
loadEval();
