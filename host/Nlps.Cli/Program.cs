using System.CommandLine;
using Nlps.Cli.Commands;

// nlpsctl: the NLPs Appliance admin API from a shell, plus offline operations (pack, keys).
var global = new GlobalOptions();
var root = new RootCommand("nlpsctl — manage an NLPs Appliance");
root.Options.Add(global.Url);
root.Options.Add(global.Token);
root.Options.Add(global.TokenFile);
root.Options.Add(global.Json);
root.Subcommands.Add(StatusCommand.Create(global));
root.Subcommands.Add(PluginCommands.Create(global));
root.Subcommands.Add(HardwareCommand.Create(global));
root.Subcommands.Add(PlanCommand.Create(global));
root.Subcommands.Add(EstimateCommand.Create(global));
root.Subcommands.Add(ModelCommands.Create(global));
root.Subcommands.Add(DeploymentCommands.Create(global));
root.Subcommands.Add(PackCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(ApiKeyCommands.Create(global));
root.Subcommands.Add(AdminCommands.Create(global));
root.Subcommands.Add(AgentCommands.Create(global));
root.Subcommands.Add(EvalCommands.Create(global));
root.Subcommands.Add(ProvisionCommands.Create(global));
foreach (var command in BackupCommands.Create())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
