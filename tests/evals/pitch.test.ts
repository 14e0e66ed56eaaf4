import { describe, expect, test } from 'vitest';
import { PITCH_SECTIONS, PITCH_TEMPLATE, readPitch } from '../../evals/report/pitch.ts';

const { pitch, nextSteps } = PITCH_SECTIONS;

describe('readPitch: which sections of docs/PITCH.md the author wrote', () => {
  test('the file as `ragfolio new` writes it: nothing written', () => {
    expect(readPitch(PITCH_TEMPLATE)).toEqual({});
  });

  test('a section whose placeholder was replaced is used as written (Markdown kept, up to the next ## heading); the other stays unwritten', () => {
    const mine = 'I built a QA app over **32 addresses**.\n\n### Why\n\nBecause the eval set came first.';
    expect(readPitch(PITCH_TEMPLATE.replace(pitch.placeholder, mine))).toEqual({ pitch: mine });
    expect(readPitch(PITCH_TEMPLATE.replace(nextSteps.placeholder, '- Add rerank.'))).toEqual({ nextSteps: '- Add rerank.' });
  });

  test('a section that still holds its marker (text added beside it, or the paragraph reflowed) or is empty is unwritten', () => {
    expect(readPitch(PITCH_TEMPLATE.replace(pitch.placeholder, `${pitch.placeholder}\n\nMy own sentence.`))).toEqual({});
    expect(readPitch(PITCH_TEMPLATE.replace(pitch.placeholder, pitch.placeholder.replace(/ /g, '\n')))).toEqual({});
    expect(readPitch(PITCH_TEMPLATE.replace(pitch.placeholder, ''))).toEqual({});
  });

  test('headings are matched by their text, in any case; a file without them has nothing written', () => {
    expect(readPitch('# Mine\n\n## PITCH\n\nShort and mine.\n\n## next steps\n\nMore data.\n')).toEqual({ pitch: 'Short and mine.', nextSteps: 'More data.' });
    expect(readPitch('Just a paragraph, no headings.\n')).toEqual({});
  });
});
