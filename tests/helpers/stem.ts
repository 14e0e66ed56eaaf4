import { tokenize } from '../../starter/tokenize.ts';

/** The one stem of a word, through the project's tokenizer (so no stem is written by hand). */
export const stemOf = (word: string): string => {
  const stems = tokenize(word);
  const [stem] = stems;
  if (stems.length !== 1 || stem === undefined) throw new Error(`"${word}" is ${stems.length} stems`);
  return stem;
};
