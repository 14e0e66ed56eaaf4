// The review page: one record at a time, keyboard first. Labels go to POST /api/review/labels, which the
// server writes to evals/labels.jsonl; nothing is kept in the browser, so a reload shows what the file holds.
const KEYS = { 1: 'right', 2: 'wrong', 3: 'should_abstain', 4: 'gold_wrong' };
const $ = (id) => document.getElementById(id);
let page;
let index = 0;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function passageList(list, passages, cited) {
  list.replaceChildren(
    ...passages.map((p) => {
      const li = el('li');
      const head = el('p', `${p.gold ? '★ ' : ''}[${p.id}] ${p.title}${cited.has(p.id) ? ' · cited' : ''}`, 'small');
      if (p.gold) li.className = 'gold';
      li.append(head, el('blockquote', p.text));
      return li;
    }),
  );
}

function show(i) {
  if (!page || page.records.length === 0) return;
  index = Math.max(0, Math.min(page.records.length - 1, i));
  const r = page.records[index];
  $('position').textContent = `${index + 1} of ${page.records.length} · ${r.id} (${r.type})`;
  $('why').textContent = `${r.reason}${r.why ? `: ${r.why}` : ''}`;
  $('question').textContent = r.question;
  $('gold-answers').textContent = r.goldAnswers.length ? r.goldAnswers.join(' | ') : '(none: unanswerable)';
  $('answer').textContent = r.answer;
  const metrics = Object.entries(r.metrics)
    .filter(([name]) => ['contains', 'em', 'f1', 'groundedness', 'judge_correct', 'abstain_correct'].includes(name))
    .map(([name, value]) => `${name} ${Number(value).toFixed(2)}`);
  $('answer-meta').textContent = [
    r.short ? `short answer: ${r.short}` : 'no short answer',
    r.abstained ? 'abstained' : 'answered',
    r.confidence === undefined ? '' : `confidence ${r.confidence.toFixed(2)}`,
    `citations: ${r.citations.join(', ') || 'none'}`,
    ...metrics,
  ]
    .filter(Boolean)
    .join(' · ');
  $('category').value = r.label?.category ?? '';
  $('note').value = r.label?.note ?? '';
  $('current-label').textContent = r.label ? `Labelled ${r.label.label} at ${r.label.labeledAt}` : 'Not labelled yet.';
  const cited = new Set(r.citations);
  passageList($('retrieved'), r.retrieved, cited);
  passageList($('gold-passages'), r.goldPassages, cited);
  for (const li of $('queue').children) li.removeAttribute('aria-current');
  $('queue').children[index]?.setAttribute('aria-current', 'true');
}

function renderQueue() {
  $('queue').replaceChildren(
    ...page.records.map((r, i) => {
      const li = el('li');
      const button = el('button', `${r.label ? '✓' : '·'} ${r.id} · ${r.reason}${r.label ? ` · ${r.label.label}` : ''}`, 'link');
      button.type = 'button';
      button.addEventListener('click', () => show(i));
      li.append(button);
      return li;
    }),
  );
  $('categories').replaceChildren(...page.categories.map((c) => Object.assign(el('option'), { value: c })));
  const done = page.records.filter((r) => r.label).length;
  $('summary').textContent = `Run ${page.run}: ${done} of ${page.records.length} records labelled; labels are saved to ${page.labelsFile}.`;
}

async function label(value) {
  const r = page.records[index];
  const body = { id: r.id, answerHash: r.answerHash, label: value, category: $('category').value.trim(), note: $('note').value };
  $('status').textContent = 'Saving…';
  const response = await fetch('/api/review/labels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) {
    $('status').textContent = `Not saved: ${json.message}`;
    return;
  }
  r.label = json;
  if (json.category && !page.categories.includes(json.category)) page.categories.push(json.category);
  renderQueue();
  $('status').textContent = `Saved ${r.id}: ${value}.`;
  show(index + 1);
}

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target instanceof HTMLInputElement;
  if (typing) {
    if (event.key === 'Escape' || event.key === 'Enter') event.target.blur();
    return;
  }
  if (event.key === 'j') show(index + 1);
  else if (event.key === 'k') show(index - 1);
  else if (KEYS[event.key]) label(KEYS[event.key]);
  else return;
  event.preventDefault();
});

for (const button of document.querySelectorAll('[data-label]')) button.addEventListener('click', () => label(button.dataset.label));

const response = await fetch('/api/review');
if (response.ok) {
  page = await response.json();
  renderQueue();
  const firstOpen = page.records.findIndex((r) => !r.label);
  show(Math.max(firstOpen, 0));
} else {
  const json = await response.json();
  $('summary').textContent = `${json.message} ${json.hint ?? ''}`;
}
