import type { Command } from 'commander';
import { z } from 'zod';
import { createLatestRunReader } from '../../evals/latest-run.ts';
import { openReviewSource } from '../../evals/review/open.ts';
import { UserError } from '../../starter/errors.ts';
import { projectPaths } from '../../starter/paths.ts';
import { startServer } from '../../starter/server/start.ts';
import type { GlobalOptions } from '../cli/project.ts';
import { openProject } from '../cli/project.ts';
import { announceThreshold } from '../cli/threshold.ts';

const optionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().trim().min(1),
  trustProxy: z.boolean().optional(),
});

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', '3000')
    .option('--host <address>', 'address to listen on; 0.0.0.0 exposes the server to your network', '127.0.0.1')
    .option('--trust-proxy', 'rate-limit by the X-Forwarded-For address (only behind a reverse proxy you run)')
    .action(async (raw: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError('--port must be a whole number from 0 to 65535, and --host an address such as 127.0.0.1.');
      const { port, host, trustProxy } = parsed.data;
      const { verbose } = command.optsWithGlobals<GlobalOptions>();
      const log = (line: string) => process.stderr.write(`ragfolio serve: ${line}\n`);
      const project = await openProject(command);
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        const project = await openProject(command);
        await announceThreshold(project, log);
        server = await startServer({
          project,
          port,
          host,
          trustProxy,
          verbose,
          log,
          readLatestRun: createLatestRunReader(projectPaths(project).runs),
          // Labels are written to the project's files: only a person at this machine may do that.
          review: LOOPBACK.has(host) ? openReviewSource(project, undefined) : undefined,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UserError(`port ${port} on ${host} is already in use. Stop the other server or pass --port <n> (0 picks a free port).`);
        if (code === 'EACCES') throw new UserError(`not allowed to listen on ${host}:${port}. Use a port above 1023.`);
        if (code === 'EADDRNOTAVAIL') throw new UserError(`${host} is not an address of this machine. Use 127.0.0.1, or 0.0.0.0 for every interface.`);
        throw error;
      }
      // The handlers are in place before the URL is printed: whoever reads it may stop the server at once.
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: closing`);
          server.close({ graceMs: 5_000 }).then(resolve, resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      process.stdout.write(`${server.url}\n`);
      await announceThreshold(project, log);
      log(`listening on ${server.url} (Ctrl-C to stop)`);
      if (!LOOPBACK.has(host)) log(`${host} is reachable from other machines; put a reverse proxy with TLS in front (docs/deploying.md).`);
      await stopped;
    });
}
