import { z } from 'zod';

/**
 * A project's package-lock.json, cut from the kit's: the same resolved versions (the ones the kit's CI tested),
 * only the packages the project's package.json reaches, so `npm ci` and CI's `cache: npm` work from the start.
 * Pure: lockfile v2/v3 text and the project's package.json in, lockfile out.
 */
const entrySchema = z
  .object({
    dependencies: z.record(z.string(), z.string()).optional(),
    optionalDependencies: z.record(z.string(), z.string()).optional(),
    peerDependencies: z.record(z.string(), z.string()).optional(),
    dev: z.boolean().optional(),
    optional: z.boolean().optional(),
    devOptional: z.boolean().optional(),
  })
  .passthrough();
type Entry = z.infer<typeof entrySchema>;

const lockSchema = z
  .object({
    name: z.string().optional(),
    version: z.string().optional(),
    lockfileVersion: z.union([z.literal(2), z.literal(3)]),
    packages: z.record(z.string(), entrySchema),
  })
  .passthrough();

export interface ProjectPackage {
  name: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** The package.json fields npm records in the lockfile's root entry. */
const ROOT_FIELDS = ['name', 'version', 'license', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'bin', 'engines'] as const;

export function pruneLockfile(kitLockText: string, project: ProjectPackage): string {
  const lock = lockSchema.parse(JSON.parse(kitLockText));
  const packages = lock.packages;

  /** Where npm would find `name` when required from the package at `from`: the nearest node_modules up. */
  const resolveFrom = (from: string, name: string): string | undefined => {
    let at = from;
    for (;;) {
      const candidate = at ? `${at}/node_modules/${name}` : `node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!at) return undefined;
      const cut = at.lastIndexOf('/node_modules/');
      at = cut < 0 ? '' : at.slice(0, cut);
    }
  };
  const reach = (roots: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = roots.flatMap((name) => resolveFrom('', name) ?? []);
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      if (seen.has(next)) continue;
      seen.add(next);
      const entry = packages[next];
      // An optional peer the kit never installed is simply absent: nothing to follow.
      const names = Object.keys({ ...entry?.dependencies, ...entry?.optionalDependencies, ...entry?.peerDependencies });
      for (const name of names) {
        const found = resolveFrom(next, name);
        if (found && !seen.has(found)) queue.push(found);
      }
    }
    return seen;
  };

  const prodRoots = Object.keys({ ...project.dependencies, ...project.optionalDependencies });
  const prod = reach(prodRoots);
  const all = reach([...prodRoots, ...Object.keys(project.devDependencies ?? {})]);

  const root: Record<string, unknown> = {};
  for (const field of ROOT_FIELDS) if (project[field] !== undefined) root[field] = project[field];
  const out: Record<string, Entry> = { '': root };
  for (const [path, entry] of Object.entries(packages)) {
    if (!all.has(path)) continue;
    const { dev: _dev, devOptional: _devOptional, optional, ...rest } = entry;
    // Dev-only now if only dev dependencies reach it (it may have been a production dependency of a kit-only package).
    out[path] = { ...rest, ...(prod.has(path) ? {} : { dev: true }), ...(optional || entry.devOptional ? { optional: true } : {}) };
  }
  return `${JSON.stringify({ ...lock, name: project.name, version: project.version ?? '0.1.0', packages: out }, null, 2)}\n`;
}
