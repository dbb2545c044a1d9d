using System.CommandLine;
using Mailroom.Cli;
using Mailroom.Cli.Commands;

var root = new RootCommand("mailroom: Mailroom's outgoing-mail server and its administration from the command line.");
GlobalOptions.AddTo(root);
// One line per command group; a new command (events tail, presets lookup, oauth login) is one class and one line here.
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(SettingsCommands.Create());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(SendCommands.CreateSend());
root.Subcommands.Add(SendCommands.CreateTest());
root.Subcommands.Add(QueueCommands.Create());
root.Subcommands.Add(UsersCommands.Create());
root.Subcommands.Add(EventsCommands.Create());
root.Subcommands.Add(PresetsCommands.Create());
root.Subcommands.Add(OAuthCommands.Create());

var parse = root.Parse(args);
// A usage mistake: one line per problem, a hint, exit code 2 (not the parser's 1, which here means "failed").
if (parse.Errors.Count > 0) return CliContext.ReportUsageErrors(parse);
return await parse.InvokeAsync();
