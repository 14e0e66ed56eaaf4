/** Where a printed number came from: a file and the JSON path of the value inside it. */
export interface Provenance {
  text: string;
  value: number;
  file: string;
  path: (string | number)[];
}

/** A sentence of prose that states a fact, and the artefact that shows it (a file, or a commit in git history). */
export interface Claim {
  text: string;
  evidence: string;
}

/**
 * Every number the write-up prints goes through a ledger, so each one can be traced to (and checked
 * against) the run or leaderboard file it came from. There is no other way to print a number. Prose facts
 * go through it too: a claim with its evidence, or left out, which `ragfolio summary --check` and `publish` list
 * (a published write-up never carries a placeholder).
 */
export class Ledger {
  readonly entries: Provenance[] = [];
  readonly claims: Claim[] = [];
  /** Sentences left out for lack of evidence: what the author could produce (or write) to have them said. */
  readonly omitted: string[] = [];

  claim(text: string, evidence: string): string {
    this.claims.push({ text, evidence });
    return text;
  }

  /** A sentence with no evidence: nothing is printed; --check and publish list what is missing. */
  omit(what: string): '' {
    this.omitted.push(what);
    return '';
  }

  num(value: number, file: string, path: (string | number)[], digits = 3): string {
    const text = Number.isInteger(value) && digits === 0 ? String(value) : value.toFixed(digits);
    this.entries.push({ text, value, file, path });
    return text;
  }

  count(value: number, file: string, path: (string | number)[]): string {
    return this.num(value, file, path, 0);
  }

  ci(pair: readonly [number, number], file: string, path: (string | number)[], digits = 3): string {
    return `[${this.num(pair[0], file, [...path, 0], digits)}, ${this.num(pair[1], file, [...path, 1], digits)}]`;
  }
}
