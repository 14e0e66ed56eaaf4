// The author's own words in the write-up: docs/PITCH.md, which `ragfolio new` writes with a marked placeholder in
// each section. A section still holding its placeholder (or empty) is unwritten: the write-up and the site leave
// it out, and `summary --check` and `publish` say so. Pure: the file's text comes in, the written sections come out.
import MarkdownIt from 'markdown-it';

/** Where the author writes, relative to the project. */
export const PITCH_FILE = 'docs/PITCH.md';

/** The sections the author writes, by their `##` heading, and the placeholder each starts with. */
export const PITCH_SECTIONS = {
  pitch: {
    heading: 'Pitch',
    placeholder:
      '✎ Write your pitch here, in place of this paragraph: two or three sentences in your own words (the problem, what you built, the result you would lead with in an interview). Until this paragraph is gone, `ragfolio summary` and `ragfolio publish` leave the pitch out and say so.',
  },
  nextSteps: {
    heading: 'Next steps',
    placeholder:
      '✎ Write your next steps here, in place of this paragraph: what you would try next and why, judged from the failures and the iteration log in docs/PROJECT_SUMMARY.md. Until this paragraph is gone, the write-up lists only the steps its evidence suggests.',
  },
} as const;

export type PitchSection = keyof typeof PITCH_SECTIONS;

/** What `ragfolio new` writes to docs/PITCH.md. */
export const PITCH_TEMPLATE = [
  '# In my own words',
  '',
  'The two sections below are the only parts of `docs/PROJECT_SUMMARY.md` and the published site that you write yourself; everything else is generated from the run files. Replace each marked paragraph (keep the `##` headings), then run `npx ragfolio summary` and `npx ragfolio publish` again.',
  '',
  ...Object.values(PITCH_SECTIONS).flatMap((s) => [`## ${s.heading}`, '', s.placeholder, '']),
].join('\n');

/** Each section's text when the author wrote it; absent when it is missing, empty or still holds its placeholder. */
export type PitchText = Partial<Record<PitchSection, string>>;

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The written sections of a pitch file: the Markdown between a section's `##` heading and the next heading of level 1 or 2. */
export function readPitch(text: string): PitchText {
  const lines = text.split('\n');
  const tokens = new MarkdownIt().parse(text, {});
  const headings = tokens.flatMap((t, i) =>
    t.type === 'heading_open' && (t.tag === 'h1' || t.tag === 'h2') && t.map ? [{ tag: t.tag, title: tokens[i + 1]?.content.trim() ?? '', start: t.map[0], end: t.map[1] }] : [],
  );
  const out: PitchText = {};
  for (const [key, section] of Object.entries(PITCH_SECTIONS) as [PitchSection, (typeof PITCH_SECTIONS)[PitchSection]][]) {
    const i = headings.findIndex((h) => h.tag === 'h2' && h.title.toLowerCase() === section.heading.toLowerCase());
    const h = headings[i];
    if (!h) continue;
    const body = lines
      .slice(h.end, headings[i + 1]?.start ?? lines.length)
      .join('\n')
      .trim();
    // The placeholder's first sentence is its marker: a section that still holds it is not written yet.
    const marker = normalise(section.placeholder.split(':')[0] ?? section.placeholder);
    if (body !== '' && !normalise(body).includes(marker)) out[key] = body;
  }
  return out;
}
