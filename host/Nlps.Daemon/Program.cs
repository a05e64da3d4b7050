using Microsoft.Extensions.Options;
using Nlps.Api.Admin;
using Nlps.Api.Agents;
using Nlps.Api.Health;
using Nlps.Api.Logs;
using Nlps.Api.Security;
using Nlps.Api.Metrics;
using Nlps.Api.Metrics.Traffic;
using Nlps.Api.Models;
using Nlps.Console;
using Nlps.Api.OpenAi;
using Nlps.Hardware.Snapshot;
using Nlps.Daemon.Configuration;
using Nlps.Daemon.Startup;

// nlpsd: the NLPs Appliance service. Configuration: /etc/nlps/nlps.json (or --config / NLPS_CONFIG), then NLPS__*
// environment variables, then --Section:Key=value arguments.
const int ConfigurationError = 78; // EX_CONFIG: systemd's RestartPreventExitStatus keeps a bad config from looping.

if (args is ["engine", "serve", ..])
{
    return await Nlps.Daemon.Engine.EngineServeCommand.RunAsync(args[2..]);
}

var (configPath, explicitConfig) = ConfigurationFile.Locate(args, Environment.GetEnvironmentVariable);
if (explicitConfig && !File.Exists(configPath))
{
    await Console.Error.WriteLineAsync($"nlpsd: configuration error: the configuration file {configPath} does not exist");
    return ConfigurationError;
}

var startedAt = TimeProvider.System.GetUtcNow();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.Sources.Clear();
builder.Configuration
    .AddJsonFile(configPath, optional: !explicitConfig, reloadOnChange: false)
    .AddEnvironmentVariables("NLPS__")
    .AddCommandLine(ConfigurationFile.WithoutConfigArgument(args));

builder.Logging.ClearProviders();
builder.Logging.AddRecentLogs();
if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 })
{
    builder.Logging.AddSystemdConsole();
}
else
{
    builder.Logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
    });
}

HttpOptions http;
try
{
    http = builder.Configuration.GetSection(HttpOptions.SectionName).Get<HttpOptions>() ?? new HttpOptions();
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync($"nlpsd: configuration error: {ex.Message}");
    return ConfigurationError;
}

builder.WebHost.UseUrls(http.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
});
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = http.ShutdownTimeout);
builder.Services.AddAppliance();
builder.Services.AddNlpsConsole();
builder.Services.AddNlpsHardware(builder.Configuration);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestMetrics();
app.UseAuthentication();
app.UseConsoleAntiforgery();
app.UseAuthorization();
app.UseRateLimiter();
app.MapHealthEndpoints();
app.MapWhoAmIEndpoints();
app.MapAgentEndpoints();
app.MapAdminPluginEndpoints();
app.MapAdminAuditEndpoints();
app.MapAdminApiKeyEndpoints();
app.MapAdminSessionEndpoints();
app.MapAdminAccountEndpoints();
app.MapMetricsEndpoint();
app.MapAdminTrafficEndpoints();
app.MapConsole();
app.MapAdminHardwareEndpoints();
app.MapAdminPlanEndpoints();
app.MapAdminModelEndpoints();
app.MapOpenAiEndpoints();
app.MapAdminDeploymentEndpoints();
app.MapAdminLogEndpoints();
app.MapAdminStatusEndpoints(app.Services.GetRequiredService<IOptions<StateOptions>>().Value.FullPath, startedAt);

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"nlpsd: configuration error: {string.Join("; ", ex.Failures)}");
    return ConfigurationError;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
{
    await Console.Error.WriteLineAsync($"nlpsd: configuration error: {ex.Message}");
    return ConfigurationError;
}

/// <summary>Entry point, visible to the in-process tests.</summary>
public partial class Program;
