/** "1 passage", "1,764 passages": a count with its noun, for messages and notes. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
