import { describe, expect, test } from 'vitest';
import { abstentionCorrect, falseAbstention } from '../../../evals/metrics/abstention.ts';
import { isAbstention } from '../../../starter/answer/abstention.ts';
import { answerMessages } from '../../../starter/answer/chat.ts';
import { NOT_FOUND } from '../../../starter/answer/types.ts';

// What a server that echoes the request sends back: the prompt, whose instructions name the marker.
const prompt = answerMessages('Which river will the new bridge cross?', []);
const echoedText = prompt.map((m) => m.content).join('\n\n');
const echoedJson = JSON.stringify({ model: 'fake-chat', messages: prompt });

describe('isAbstention: one rule for ask, serve and eval', () => {
  test('the marker, alone or opening the answer, in any case and with words around it', () => {
    expect(isAbstention(NOT_FOUND)).toBe(true);
    expect(isAbstention('  NOT FOUND IN CORPUS')).toBe(true);
    expect(isAbstention('Sorry, this is not found in the corpus. The passages discuss bridges.')).toBe(true);
    expect(isAbstention("I don't know.", "I don't know")).toBe(true);
  });

  test('an echoed prompt is not an abstention, as text or as the request body', () => {
    expect(echoedText).toContain(NOT_FOUND);
    expect(isAbstention(echoedText)).toBe(false);
    expect(isAbstention(echoedJson)).toBe(false);
  });

  test('an answer that leads with an answer, or only mentions the marker later, does not abstain', () => {
    expect(isAbstention('The Blue River [p0]. Who built it is not found in the corpus.')).toBe(false);
    expect(isAbstention('The Blue River, per [p0]; the rest is not found in the corpus.')).toBe(false);
    expect(isAbstention('The document was not found in the archive.')).toBe(false);
    expect(isAbstention('')).toBe(false);
  });

  test('the eval metrics decide with it', () => {
    expect(falseAbstention(echoedText, false)).toBe(0);
    expect(abstentionCorrect(echoedText, true)).toBe(0);
    expect(falseAbstention(NOT_FOUND, false)).toBe(1);
  });
});
