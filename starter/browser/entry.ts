import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { renderAnswerHtml } from '../answer/render.ts';
import type { AnswerRecord } from '../ask.ts';
import { DEMO_FILES, type DemoHook, loadDemoData } from './data.ts';
import { loadBrowserEmbeddings } from './embedder.ts';
import { createDemoPipeline, type DemoPipeline } from './pipeline.ts';

// Every URL is relative to the page, so the site works from any folder of any static host.
const url = (path: string) => new URL(path, document.baseURI).href;

async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(url(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function el(tag: string, props: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function setStatus(text: string, isError = false): void {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function render(record: AnswerRecord, pipeline: DemoPipeline): void {
  // markdown-it, raw HTML off: the same rendering as the app's page (starter/answer/render.ts).
  $('answer').innerHTML = renderAnswerHtml(record.answer, record.citations);
  $('answer-meta').textContent = `${record.short ? `Short answer: ${record.short} · ` : ''}${record.latencyMs.toFixed(0)} ms in this browser`;
  $('answer-meta').dataset.ms = String(record.latencyMs);
  $('no-citations').hidden = record.citations.length > 0;
  $('citations').replaceChildren(
    ...record.citations.map((id) => {
      const p = pipeline.passages.get(id);
      return el('li', {}, el('strong', { text: `${id} · ${p?.title ?? ''}` }), el('blockquote', { text: p?.text ?? '' }));
    }),
  );
  $('retrieved').replaceChildren(
    ...record.retrieved.map((r, i) =>
      el(
        'tr',
        { class: r.passageIds.some((id) => record.citations.includes(id)) ? 'cited' : '' },
        el('td', { text: String(i + 1) }),
        el('td', {}, el('button', { type: 'button', class: 'link', 'data-passage': r.passageIds[0] ?? '', text: r.chunkId })),
        el('td', { text: r.score.toFixed(3) }),
      ),
    ),
  );
  $('result').hidden = false;
}

function openPassage(id: string, pipeline: DemoPipeline): void {
  const p = pipeline.passages.get(id);
  if (!p) return;
  $('passage-meta').textContent = `Passage ${id} · ${p.title}`;
  $('passage-text').textContent = p.text;
  $<HTMLDialogElement>('passage').showModal();
}

async function main(): Promise<void> {
  const started = performance.now();
  // The model (27 MB) loads while the data arrives and BM25 is built: the pipeline waits for it on the first question only.
  const model = loadBrowserEmbeddings({ model: url(DEMO_FILES.model), vocabulary: url(DEMO_FILES.vocabulary), wasm: url(DEMO_FILES.wasm) });
  const embeddings: EmbeddingsInterface = { embedQuery: async (text) => (await model).embedQuery(text), embedDocuments: async (texts) => (await model).embedDocuments(texts) };
  const data = await loadDemoData(fetchBytes);
  const loaded = performance.now();
  const pipeline = createDemoPipeline(data, embeddings);
  const built = performance.now();
  await model;
  const timings = { loadMs: loaded - started, buildMs: built - loaded, modelMs: performance.now() - started };
  // For the bench and the browser test: the page's own model and timings, so they can be checked against Node's.
  Object.assign(window, { ragfolioDemo: { embedQuery: (text: string) => embeddings.embedQuery(text), timings } satisfies DemoHook });
  const { counts, encoding } = data.manifest;
  $('timings').textContent =
    `${counts.passages.toLocaleString('en')} passages, ${counts.sentences.toLocaleString('en')} sentence vectors (${encoding}); data loaded in ${(timings.loadMs / 1000).toFixed(1)} s, index built in ${timings.buildMs.toFixed(0)} ms, model ready after ${(timings.modelMs / 1000).toFixed(1)} s.`;
  // The project's own name, not the template's.
  $('demo-title').textContent = `${data.manifest.project}: demo`;
  document.title = `${data.manifest.project} · demo in your browser`;
  $('examples').replaceChildren(...data.manifest.examples.map((q) => el('li', {}, el('button', { type: 'button', class: 'link example', text: q }))));

  const question = $<HTMLInputElement>('question');
  const button = $<HTMLButtonElement>('ask-button');
  let asking = 0;
  $('ask-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (question.value.trim() === '') return setStatus('Type a question first.', true);
    const id = ++asking;
    document.body.dataset.state = 'asking';
    setStatus('Thinking…');
    try {
      const record = await pipeline.ask(question.value);
      if (id !== asking) return;
      render(record, pipeline);
      setStatus('');
      // Counts shown answers, so a test or the bench can wait for the next one without timing it.
      document.body.dataset.answered = String(Number(document.body.dataset.answered ?? 0) + 1);
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error), true);
    } finally {
      if (id === asking) document.body.dataset.state = 'ready';
    }
  });
  document.addEventListener('click', (event) => {
    const target = event.target instanceof HTMLElement ? event.target : undefined;
    if (target?.classList.contains('example')) {
      question.value = target.textContent ?? '';
      $<HTMLFormElement>('ask-form').requestSubmit();
    } else if (target?.dataset.passage) {
      openPassage(target.dataset.passage, pipeline);
    }
  });
  button.disabled = false;
  setStatus('');
  document.body.dataset.state = 'ready';
}

main().catch((error: unknown) => {
  document.body.dataset.state = 'failed';
  setStatus(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`, true);
});
