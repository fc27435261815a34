/** The command line: every command, its options and help, and the one line and exit code for every failure. */
import { Argument, Command, CommanderError, Option } from 'commander';

import { accounts } from './commands/accounts';
import { config } from './commands/config';
import { credentialProcess, env, exec, openConsole, serve } from './commands/credentials';
import { login, logout, status } from './commands/session';
import { completionScript, type Shell, SHELLS } from './completion';
import { Context, type Io, type TargetOptions } from './context';
import { CliError, oneLine } from './errors';
import { ENV_FORMAT_NAMES } from './formats';
import { CLI_VERSION } from './version';

/** --portal and --instance, accepted by every command (before or after its name). */
function withTarget(command: Command): Command {
  return command
    .option('--portal <url>', 'the Gatehouse portal (default: GATEHOUSE_PORTAL, else the one you last signed in to)')
    .option('--instance <key>', 'the Identity Center instance, on a portal that has several');
}

function withRole(command: Command): Command {
  return command
    .option('--account <id>', 'the account: its 12-digit id (or its name or nickname); without it, choose in a list')
    .option('--role <name>', 'the role (permission set) name; without it, choose in a list');
}

/** Runs the command line `argv` (without node and the script); the exit code. */
export async function run(argv: string[], io: Io, runningScript?: string): Promise<number> {
  let exitCode = 0;
  io = { ...io, runningScript: io.runningScript ?? runningScript };
  const program = new Command();
  program
    .name('gatehouse')
    .description('Short-lived AWS credentials from your Gatehouse portal, in your terminal.')
    .version(CLI_VERSION, '-V, --version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${oneLine(text)}\n`),
    })
    .showSuggestionAfterError(true);
  withTarget(program);

  const context = (command: Command): Context => {
    const options: TargetOptions = { ...(program.opts<TargetOptions>()), ...pick(command.opts<TargetOptions>()) };
    return new Context(io, options);
  };

  withTarget(
    program
      .command('login')
      .description('sign in through Identity Center (the portal holds the AWS tokens; this machine keeps only a Gatehouse token)')
      .option('--no-browser', 'print the link, never open a browser'),
  ).action(async (options: { browser: boolean }, command: Command) => login(context(command), options));

  withTarget(program.command('logout').description('sign out: the portal ends the session and this machine forgets its token')).action(
    async (_options: unknown, command: Command) => logout(context(command)),
  );

  withTarget(program.command('status').description('who you are signed in as, to which portal and instance, and until when')).action(
    async (_options: unknown, command: Command) => status(context(command)),
  );

  withRole(withTarget(program.command('credential-process').description("print a role's credentials as credential_process JSON (for ~/.aws/config)"))).action(
    async (options: { account?: string; role?: string }, command: Command) => credentialProcess(context(command), options),
  );

  withRole(
    withTarget(
      program
        .command('env')
        .description("print a role's credentials as shell variables or a file")
        .addOption(new Option('--format <format>', 'the shape').choices(ENV_FORMAT_NAMES).default('bash'))
        .option('--region <region>', 'also set the region')
        .option('--profile-name <name>', 'the profile name, for --format ini'),
    ),
  ).action(async (options: { account?: string; role?: string; format: string; region?: string; profileName?: string }, command: Command) =>
    env(context(command), options),
  );

  withRole(
    withTarget(
      program
        .command('exec')
        .description("run a command with a role's credentials in its environment")
        .option('--region <region>', 'AWS_REGION and AWS_DEFAULT_REGION (default: as set, else the portal\'s)')
        .argument('<command...>', 'the command and its arguments, after --')
        .passThroughOptions(),
    ),
  ).action(async (commandLine: string[], options: { account?: string; role?: string; region?: string }, command: Command) => {
    exitCode = await exec(context(command), options, commandLine);
  });

  withRole(
    withTarget(
      program
        .command('serve')
        .description('serve a role\'s credentials to the AWS SDKs and CLI on 127.0.0.1 (the container-credentials endpoint), renewed before they expire')
        .option('--port <port>', 'the port (default: a free one)'),
    ),
  ).action(async (options: { account?: string; role?: string; port?: string }, command: Command) => serve(context(command), options));

  withRole(
    withTarget(
      program
        .command('console')
        .description('open the AWS console as a role')
        .option('--region <region>', 'the console region')
        .option('--destination <page>', 'a console path or URL, such as /ec2/home')
        .option('--print', 'print the link instead of opening it'),
    ),
  ).action(async (options: { account?: string; role?: string; region?: string; destination?: string; print?: boolean }, command: Command) =>
    openConsole(context(command), options),
  );

  withTarget(program.command('accounts').description('list your accounts and roles').option('--json', 'as JSON')).action(
    async (options: { json?: boolean }, command: Command) => accounts(context(command), options),
  );

  withTarget(
    program
      .command('config')
      .description('write a profile per role into ~/.aws/config (a marked block; everything else is kept)')
      .option('--favorites', 'only your favorite roles')
      .option('--region <region>', 'the region of every profile (default: the portal\'s)'),
  ).action(async (options: { favorites?: boolean; region?: string }, command: Command) => config(context(command), options, io.runningScript));

  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish (commands and options)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      '\nbash: add `source <(gatehouse completion bash)` to ~/.bashrc\nzsh:  add `source <(gatehouse completion zsh)` to ~/.zshrc, after compinit\nfish: gatehouse completion fish > ~/.config/fish/completions/gatehouse.fish',
    )
    .action((shell: Shell) => {
      io.stdout.write(completionScript(program, shell));
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      io.stderr.write(`${oneLine(error.message)}\n`);
      return error.exitCode;
    }
    io.stderr.write(`gatehouse: unexpected error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
}

/** The target options a subcommand was given (commander leaves unset ones undefined; they must not hide the program's). */
function pick(options: TargetOptions): TargetOptions {
  const out: TargetOptions = {};
  if (options.portal !== undefined) out.portal = options.portal;
  if (options.instance !== undefined) out.instance = options.instance;
  return out;
}
