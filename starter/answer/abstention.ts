import { splitSentences } from '../sentences.ts';
import { firstCitationAt } from './citations.ts';
import { NOT_FOUND } from './types.ts';

const ARTICLES = new Set(['a', 'an', 'the']);

/** Lower-case words without punctuation or articles: "NOT FOUND IN CORPUS" and "Not found in the corpus." are the same. */
function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, '')
    .split(/\s+/)
    .filter((w) => w && !ARTICLES.has(w))
    .join(' ');
}

/**
 * Whether an answer is an abstention: the one rule for ask, serve, eval and its metrics. It abstains when it
 * opens with the marker (NOT_FOUND, the reply the prompt asks for): the marker is in the first sentence, before
 * any citation, whatever the case, punctuation, articles or words around it ("Sorry, this is not found in the
 * corpus."). Only the opening counts, so an answer that leads with an answer does not abstain, and neither
 * does a server that echoes the prompt, whose instructions mention the marker further on.
 */
export function isAbstention(answer: string, marker: string = NOT_FOUND): boolean {
  const wanted = words(marker);
  if (wanted === '') throw new RangeError('the abstention marker has no words once case, punctuation and articles are removed');
  const first = splitSentences(answer)[0];
  if (!first) return false;
  const sentence = answer.slice(first.start, first.end);
  const cited = firstCitationAt(sentence);
  return ` ${words(cited < 0 ? sentence : sentence.slice(0, cited))} `.includes(` ${wanted} `);
}
