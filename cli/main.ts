/**
 * The `plume` command. Exit codes: 0 success/completed, 1 campaign failed or cancelled,
 * 2 invalid input (spec, arguments).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { SpecError } from '../engine/spec-error.js';
import { EXIT_FAILED, EXIT_INVALID, EXIT_OK, UsageError } from './exit-codes.js';
import { DEFAULT_MAX_RUNS } from '../engine/run-budget.js';
import type * as RunCommands from './commands/run.js';
import type * as ManageCommands from './commands/manage.js';
import type * as DataCommands from './commands/data.js';
import type * as ServeCommands from './commands/serve.js';
import type * as UiCommand from './commands/ui.js';
import type * as ReportCommand from './commands/report.js';
import type * as ImportCommand from './commands/import.js';

// Commands load on demand (`plume --help` must not load TensorFlow, PGlite or Temporal).
const runCmd = () => import('./commands/run.js');
const manageCmd = () => import('./commands/manage.js');
const dataCmd = () => import('./commands/data.js');
const serveCmd = () => import('./commands/serve.js');

/** The options object a command function takes (its last parameter), which commander's `.action` passes untyped. */
type OptionsOf<F> = F extends (...args: infer A) => unknown ? (A extends [...unknown[], infer O] ? O : never) : never;

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got '${v}'`);
    return n;
  };
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('plume')
    .description('Distributed Monte-Carlo orchestration for subsurface reactive-transport ML')
    .showHelpAfterError('(run `plume --help` for usage)')
    .exitOverride();

  program
    .command('run')
    .description('launch a campaign from a spec file, show progress, wait, print a summary')
    .argument('<spec>', 'campaign spec (YAML or JSON)')
    .option('--json', 'print exactly one JSON object with the summary on stdout')
    .option('--workers', 'host workers in this process even in production mode')
    .option('--no-workers', 'do not host workers (rely on `plume worker` processes)')
    .option('--no-progress', 'no progress bar')
    .option('--new', "start a new campaign even if this spec's campaign is unfinished in this state directory (default: attach to it)")
    .option(
      '--max-runs <n>',
      `total-runs limit (default ${DEFAULT_MAX_RUNS.toLocaleString('en-US')} or PLUME_MAX_RUNS); each run is a database row and a model evaluation`,
      positiveInt('--max-runs'),
    )
    .action(async (spec: string, o: OptionsOf<typeof RunCommands.runCommand>) => setExit(await (await runCmd()).runCommand(spec, o)));

  program
    .command('launch')
    .description('start a campaign and print its id (needs a running `plume dev` or TEMPORAL_ADDRESS)')
    .argument('<spec>')
    .option('--json')
    .option('--max-runs <n>', 'total-runs limit (see `plume run --help`)', positiveInt('--max-runs'))
    .action(async (spec: string, o: OptionsOf<typeof RunCommands.launchCommand>) => setExit(await (await runCmd()).launchCommand(spec, o)));

  program
    .command('status')
    .description('show a campaign (or the latest campaigns)')
    .argument('[id]')
    .option('--watch', 'follow progress until the campaign ends')
    .option('--json')
    .action(async (id: string | undefined, o: OptionsOf<typeof ManageCommands.statusCommand>) => setExit(await (await manageCmd()).statusCommand(id, o)));

  program
    .command('list')
    .description('list campaigns, newest first')
    .option('--json')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 50)
    .action(async (o: OptionsOf<typeof ManageCommands.listCommand>) => setExit(await (await manageCmd()).listCommand(o)));

  program
    .command('cancel')
    .argument('<id>')
    .description('cancel a campaign; unfinished runs become cancelled')
    .action(async (id: string) => setExit(await (await manageCmd()).cancelCommand(id)));
  program
    .command('pause')
    .argument('<id>')
    .description('stop starting new batches')
    .action(async (id: string) => setExit(await (await manageCmd()).pauseCommand(id, true)));
  program
    .command('resume')
    .argument('<id>')
    .description('resume a paused campaign')
    .action(async (id: string) => setExit(await (await manageCmd()).pauseCommand(id, false)));
  program
    .command('retry')
    .argument('<id>')
    .description('re-run the failed (and cancelled) runs of a finished campaign')
    .option('--failed', 'only failed and cancelled runs')
    .option('--wait', 'wait for the retry to finish and print the summary')
    .option('--json')
    .action(async (id: string, o: OptionsOf<typeof ManageCommands.retryCommand>) => setExit(await (await manageCmd()).retryCommand(id, o)));

  program
    .command('ui')
    .argument('<id>')
    .description("print (and open) the campaign's workflow in the Temporal UI")
    .option('--no-open', 'only print the link')
    .action(async (id: string, o: OptionsOf<typeof UiCommand.uiCommand>) => setExit(await (await import('./commands/ui.js')).uiCommand(id, o)));

  program
    .command('migrate')
    .description('apply database migrations (embedded PGlite or DATABASE_URL)')
    .action(async () => {
      const { openDatabase } = await import('../db/client.js');
      const db = await openDatabase({ serve: false });
      process.stdout.write(`database migrated (${db.engine})\n`);
      await db.close();
      setExit(EXIT_OK);
    });

  program
    .command('schema')
    .description('print the JSON Schema of campaign specs (for editors)')
    .action(async () => {
      const { campaignJsonSchema } = await import('../kinds/campaign-spec.js');
      process.stdout.write(`${JSON.stringify(campaignJsonSchema(), null, 2)}\n`);
      setExit(EXIT_OK);
    });

  program
    .command('dev')
    .description('run Temporal dev server + worker + dashboard in the foreground')
    .option('--concurrency <n>', 'activity slots', positiveInt('--concurrency'))
    .option('--port <n>', 'dashboard port', positiveInt('--port'), 8787)
    .option('--no-dashboard')
    .action(async (o: OptionsOf<typeof ServeCommands.devCommand>) => setExit(await (await serveCmd()).devCommand(o)));

  program
    .command('worker')
    .description('run a standalone worker against TEMPORAL_ADDRESS + DATABASE_URL')
    .requiredOption('--queue <queue>', 'cpu or gpu')
    .option('--concurrency <n>', 'activity slots', positiveInt('--concurrency'))
    .option('--metrics-port <n>', '/metrics port', positiveInt('--metrics-port'), 9464)
    .option('--metrics-host <host>', '/metrics bind address', '127.0.0.1')
    .action(async (o: OptionsOf<typeof ServeCommands.workerCommand>) => setExit(await (await serveCmd()).workerCommand(o)));

  program
    .command('query')
    .description('read-only SQL on the results database (views: v_runs, v_model_metrics, v_inversion_summary)')
    .argument('<sql>')
    .option('--format <format>', 'table | csv | json | parquet', 'table')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--limit <n>', 'row limit', positiveInt('--limit'))
    .option('--timeout <ms>', 'statement timeout in ms', positiveInt('--timeout'))
    .action(async (sql: string, o: OptionsOf<typeof DataCommands.queryCommand>) => setExit(await (await dataCmd()).queryCommand(sql, o)));

  program
    .command('export')
    .description("export a campaign's runs, metrics or predictions for pandas or R")
    .argument('<id>')
    .option('--what <what>', 'runs | metrics | predictions', 'runs')
    .option('--format <format>', 'csv | parquet | json', 'csv')
    .option('--out <file>')
    .action(async (id: string, o: OptionsOf<typeof DataCommands.exportCommand>) => setExit(await (await dataCmd()).exportCommand(id, o)));

  program
    .command('report')
    .description("write a campaign's Markdown report with tables and figures (.svg + .png) from the results database")
    .argument('<id>')
    .option('--out <dir>', 'output directory (default reports/<campaign-id>/)')
    .action(async (id: string, o: OptionsOf<typeof ReportCommand.reportCommand>) => setExit(await (await import('./commands/report.js')).reportCommand(id, o)));

  program
    .command('import')
    .description('import simulation output as a dataset (PFLOTRAN HDF5 pairs)')
    .argument('<format>', 'pflotran')
    .argument('<dir>', 'folder with *_1xscale.h5/*_10xscale.h5 (or *_1xresolution.h5/*_2xresolution.h5) pairs')
    .option('--pairing <pairing>', 'scale10x | resolution2x', 'scale10x')
    .option('--name <name>', 'dataset name')
    .option('--seed <n>', 'seed of the train/val/test split', positiveInt('--seed'))
    .option('--variable <short=name...>', "variables to import, e.g. B='biomass [mol_m^3]' (default: all)")
    .option('--json')
    .action(async (format: string, dir: string, o: OptionsOf<typeof ImportCommand.importCommand>) =>
      setExit(await (await import('./commands/import.js')).importCommand(format, dir, o)),
    );

  program
    .command('dashboard')
    .description('web dashboard and REST API (127.0.0.1:8787 by default)')
    .option('--port <n>', 'port', positiveInt('--port'), 8787)
    .option('--host <host>', 'bind address', '127.0.0.1')
    .action(async (o: OptionsOf<typeof DataCommands.dashboardCommand>) => setExit(await (await dataCmd()).dashboardCommand(o)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_INVALID;
    }
    if (e instanceof SpecError || e instanceof UsageError) {
      process.stderr.write(`plume: ${e.message}\n`);
      return EXIT_INVALID;
    }
    process.stderr.write(`plume: ${(e as Error).message ?? String(e)}\n`);
    if (process.env.PLUME_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT_FAILED;
  }
}

const code = await main(process.argv);
process.exitCode = code;
// Native handles (Temporal core, PGlite) can keep the loop alive after close: exit explicitly.
setTimeout(() => process.exit(code), 200).unref();
