// The `statbank` command line as a function: run(argv, io) parses the arguments, runs one command and resolves
// to its exit code; nothing here calls process.exit, so tests run commands in-process.
//
// Only commander and small constants load up front: each command's module (and its heavy dependencies: fastify,
// exceljs, apache-arrow, better-sqlite3, pg ...) is imported when that command runs, so --help answers at once.

import { Command, CommanderError, Option } from 'commander';
import { OUTPUT_FORMATS } from '../client/outputFormats.js';
import { DEFAULT_RELEASE_CLOCK, RELEASE_TIME_ZONE } from '../publishing/releaseTime.js';
import { Cli, CliError, type CliIo } from './io.js';
import { collect, int } from './util.js';

const VERSION = '0.1.0';

const dbOption = () => new Option('--db <file>', 'SQLite database file or postgres:// URL').env('STATBANK_DB');

/** Parse `argv` (the arguments after the program name) and run the command; resolves to the exit code. */
export async function run(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const cli = new Cli(io);
  let code = 0;
  // each action sets the exit code it ends with; errors are thrown and turned into one below
  const done = (c: number | void) => {
    code = c ?? 0;
  };
  const program = buildProgram(cli, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander printed the message or the help
    if (e instanceof CliError) {
      cli.err(e.message);
      return e.exitCode;
    }
    cli.err(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

function buildProgram(cli: Cli, done: (code: number | void) => void): Command {
  const program = new Command();
  program.name('statbank').description('Statbank: a statistics bank for PX cubes with PxWeb APIs').version(VERSION);
  // program options (--version) only before the command name, so `cancel --version 3` means the table version
  program.enablePositionalOptions();
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => cli.io.stdout.write(s), writeErr: (s) => cli.io.stderr.write(s) });
  // subcommands inherit exitOverride and the output settings when they are added after these calls
  const command = (name: string) => program.command(name).exitOverride().configureOutput(program.configureOutput());

  command('serve')
    .description('serve the APIs and the web app')
    .addOption(dbOption())
    .addOption(new Option('-p, --port <n>', 'port (0: any free port)').env('PORT').argParser(int))
    .option('--host <host>', 'interface to listen on')
    .option('--base-url <url>', 'absolute base URL used in links')
    .option('--max-cells <n>', 'cell limit per query', int)
    .option('--max-calls <n>', 'rate limit: calls per time window (0 = off)', int)
    .option('--time-window <s>', 'rate limit window in seconds', int)
    .option('--cache-bytes <n>', 'memory budget of the cube cache', int)
    .option('--log-level <level>', 'pino log level')
    .option('--languages <list>', 'languages served, in order (default: every language the tables carry)')
    .option('--default-language <lang>', 'the default language (default: the first)')
    .option('--workers <n>', 'server processes sharing the port, restarted when they die ("auto" = one per core; default 1)')
    .action(async (o) => done(await (await import('./commands/serve.js')).serve(cli, o)));

  command('demo')
    .description('create the built-in demo database (numbers are generated demo data)')
    .addOption(dbOption())
    .option('--if-missing', 'do nothing when the database already exists')
    .option('--last-year <year>', 'newest year of annual tables', int)
    .action(async (o) => done(await (await import('./commands/demo.js')).demo(cli, o)));

  command('import')
    .description('import PX files (or folders of them) into the database')
    .argument('<paths...>', 'PX files or folders')
    .addOption(dbOption())
    .option('--folder <path>', 'subject folder to list the tables under, e.g. be/be01')
    .option('--folder-label <text>', 'label of a folder created by --folder')
    .option('--id <id>', 'table id (only with one file; default MATRIX)')
    .option('--language <lang>', 'language of files without LANGUAGE', 'no')
    .option('--classification <var=id>', 'the Klass classification of a variable, e.g. Region=131 or Region=131,104 (repeatable): the server then offers its reform groupings', collect, [])
    .option('--absent <var=symbol>', 'the data symbol of a code in a period it did not exist, e.g. Region=. (repeatable): reform sums skip those cells', collect, [])
    .action(async (paths: string[], o) => done(await (await import('./commands/import.js')).importFiles(cli, paths, o)));

  command('fetch')
    .description('fetch a table from any PxWeb server (API v1 or 2.0), split under its cell limit and paced under its rate limit')
    .argument('<url>', 'a v2 table or data URL (…/api/v2/tables/07459[/data?valueCodes[…]=…]), a v1 table URL (…/api/v0/en/table/07459) or an API root')
    .argument('[table]', 'table id, when <url> is an API root')
    .option('-q, --query <file>', 'selection as a PxWeb v1 query body or a PxWebApi 2.0 selection body (JSON)')
    .option('-s, --select <Var=codes>', 'values of one variable: codes and v2 expressions (*, 03*, top(5), from(2020), range(a,b)); vs_X:codes for a codelist; repeatable', collect, [] as string[])
    .addOption(new Option('-f, --format <format>', 'output format (default from the -o extension, else json-stat2)').choices(OUTPUT_FORMATS))
    .option('-o, --out <file>', 'output file (default: stdout unless --import)')
    .option('--lang <lang>', 'language of the texts')
    .option('--labels <mode>', 'csv/arrow/parquet columns: codes, texts or codesAndTexts')
    .option('--all', 'take all values of the variables a selection leaves out (default: eliminated where the table allows, as PxWeb does; with no selection at all the whole table is fetched)')
    .option('--import', 'import the fetched table into the database')
    .addOption(dbOption())
    .option('--folder <path>', 'with --import: subject folder to list the table under')
    .option('--id <id>', 'table id to store or write (default the server’s)')
    .option('--max-cells <n>', 'cells per call (default the server’s limit)', int)
    .option('--max-calls <n>', 'calls per time window (default the server’s limit)', int)
    .option('--time-window <s>', 'rate-limit window in seconds (default the server’s)', int)
    .option('--concurrency <n>', 'calls at the same time', int, 1)
    .addOption(new Option('--method <method>', 'v2: how to ask for data').choices(['GET', 'POST', 'get', 'post']))
    .option('--plan', 'only print how the query would be split')
    .action(async (url: string, table: string | undefined, o) => done(await (await import('./commands/fetch.js')).fetchTable(cli, url, table, o)));

  command('convert')
    .description('convert a table file: PX or JSON-stat (1.x, 2.0) in; PX, JSON-stat 2, CSV, Arrow, Parquet or xlsx out')
    .argument('<in>', 'input file (.px, .json)')
    .argument('<out>', 'output file (.px, .json, .csv, .arrow, .parquet, .xlsx)')
    .option('--from <format>', 'input format: px or json-stat (default from the extension)')
    .addOption(new Option('--to <format>', 'output format (default from the extension)').choices(OUTPUT_FORMATS))
    .option('--lang <lang>', 'language of the texts written (PX: all when omitted); JSON-stat input: language of its texts')
    .option('--labels <mode>', 'csv/arrow/parquet columns: codes, texts or codesAndTexts')
    .option('--dataset <key>', 'JSON-stat bundle or collection: which dataset (key, label or position)')
    .option('--id <id>', 'table id (default MATRIX / tableid, then the file name)')
    .action(async (input: string, output: string, o) => done(await (await import('./commands/convert.js')).convert(cli, input, output, o)));

  command('export')
    .description('write a whole table in a format')
    .argument('<table>', 'table id')
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('px'))
    .option('--lang <lang>', 'language of texts (px: all languages when omitted)')
    .option('-o, --out <file>', 'output file (default: stdout)')
    .action(async (id: string, o) => done(await (await import('./commands/export.js')).exportTable(cli, id, o)));

  command('publish')
    .description('schedule PX files as new table versions, public at the release time (08:00 Europe/Oslo by default) and invisible until then')
    .argument('<paths...>', 'PX files or folders')
    .addOption(dbOption())
    .requiredOption('--date <YYYY-MM-DD>', 'release date')
    .option('--time <HH:MM>', 'release time of day', DEFAULT_RELEASE_CLOCK)
    .option('--time-zone <zone>', 'time zone of --date and --time', RELEASE_TIME_ZONE)
    .option('--folder <path>', 'subject folder to list the tables under (repeatable); default: where the table is now', collect, [])
    .option('--folder-label <text>', 'label of a folder created by --folder')
    .option('--id <id>', 'table id (only with one file; default MATRIX)')
    .option('--short-name <name>', 'short name of the statistic')
    .option('--language <lang>', 'language of files without LANGUAGE', 'no')
    .action(async (paths: string[], o) => done(await (await import('./commands/publish.js')).publish(cli, paths, o)));

  command('releases')
    .description('list the scheduled releases (versions under embargo), soonest first')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (o) => done(await (await import('./commands/releases.js')).releases(cli, o)));

  command('cancel')
    .description('cancel a scheduled release of a table (all of its scheduled versions unless --version)')
    .argument('<table>', 'table id')
    .addOption(dbOption())
    .option('--version <n>', 'the scheduled version', int)
    .action(async (id: string, o) => done(await (await import('./commands/cancel.js')).cancel(cli, id, o)));

  command('reschedule')
    .description('move a scheduled release to another time')
    .argument('<table>', 'table id')
    .addOption(dbOption())
    .requiredOption('--date <YYYY-MM-DD>', 'new release date')
    .option('--time <HH:MM>', 'release time of day', DEFAULT_RELEASE_CLOCK)
    .option('--time-zone <zone>', 'time zone of --date and --time', RELEASE_TIME_ZONE)
    .option('--version <n>', 'the scheduled version (needed when the table has several)', int)
    .action(async (id: string, o) => done(await (await import('./commands/reschedule.js')).reschedule(cli, id, o)));

  command('versions')
    .description("list a table's versions, scheduled ones included")
    .argument('<table>', 'table id')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (id: string, o) => done(await (await import('./commands/versions.js')).versions(cli, id, o)));

  const token = command('token').description('bearer tokens for the admin API (/api/admin)');
  token
    .command('create')
    .description('create a token (printed once; only its hash is stored)')
    .addOption(dbOption())
    .requiredOption('--name <name>', 'who or what uses it')
    .addOption(new Option('--scope <scope>', 'publish: tables and releases; admin: everything').choices(['publish', 'admin']).makeOptionMandatory())
    .option('--json', 'print JSON')
    .action(async (o) => done(await (await import('./commands/token.js')).tokenCreate(cli, o)));
  token
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .addOption(dbOption())
    .option('--json', 'print JSON')
    .action(async (o) => done(await (await import('./commands/token.js')).tokenList(cli, o)));
  token
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'token id (from token list)')
    .addOption(dbOption())
    .action(async (id: string, o) => done(await (await import('./commands/token.js')).tokenRevoke(cli, id, o)));

  return program;
}
