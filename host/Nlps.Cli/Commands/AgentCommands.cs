using System.CommandLine;
using System.Text.Json;
using Nlps.Cli.Client;
using Nlps.Cli.Output;

namespace Nlps.Cli.Commands;

/// <summary>
/// <c>nlpsctl agents call|watch</c>: any agent operation from a shell. A JSON answer is printed indented; a streamed
/// one prints each event as one JSON line as it arrives. An answer that is a running job (<c>jobId</c>, <c>state</c>
/// running, <c>total</c>, <c>processed</c> or <c>done</c> + <c>failed</c>) can be followed with a progress bar with
/// rate and ETA; Ctrl+C then cancels it through the agent's cancel operation.
/// </summary>
internal static class AgentCommands
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(GlobalOptions global)
    {
        var agents = new Command("agents", "Call agent operations and follow their jobs");
        var cancel = new Option<string?>("--cancel") { Description = "The operation Ctrl+C calls with {\"jobId\"} to cancel the followed job, e.g. ingest_cancel" };

        var agent = new Argument<string>("agent") { Description = "The agent id, e.g. nlps.chatbot" };
        var operation = new Argument<string>("operation") { Description = "The operation, e.g. search" };
        var body = new Argument<string>("request") { Description = "The request as JSON text, or - for stdin", DefaultValueFactory = _ => "{}" };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Read the request from this JSON file instead" };
        var watch = new Option<string?>("--watch") { Description = "When the answer is a running job, follow it by calling this status operation, e.g. ingest_status" };
        var call = new Command("call", "Call an operation; streamed answers print one JSON line per event") { agent, operation, body, file, watch, cancel };
        call.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            string agentId = result.GetValue(agent)!;
            string request = await ReadRequestAsync(result.GetValue(body)!, result.GetValue(file), ct);
            await foreach (ReplyItem item in client.PostJsonForEventsAsync(OperationPath(agentId, result.GetValue(operation)!), request, ct))
            {
                if (item.Streamed)
                {
                    Console.WriteLine(JsonOutput.FormatLine(item.Data));
                }
                else if (result.GetValue(watch) is { } status && IsRunningJob(item.Data))
                {
                    return await FollowAsync(result, global, client, agentId, item.Data, status, result.GetValue(cancel), ct);
                }
                else if (item.Data.ValueKind != JsonValueKind.Undefined)
                {
                    Console.WriteLine(JsonOutput.Format(item.Data));
                }
            }

            return 0;
        }));
        agents.Subcommands.Add(call);

        var watchAgent = new Argument<string>("agent") { Description = "The agent id, e.g. nlps.chatbot" };
        var jobId = new Argument<string>("job-id") { Description = "The job's id" };
        var status = new Option<string>("--status") { Description = "The operation that reports the job, e.g. ingest_status", Required = true };
        var watchCommand = new Command("watch", "Follow a job with a progress bar until it ends") { watchAgent, jobId, status, cancel };
        watchCommand.SetAction((result, ct) => CommandRunner.RunAsync(result, global, async client =>
        {
            string agentId = result.GetValue(watchAgent)!;
            string statusOperation = result.GetValue(status)!;
            JsonElement job = await client.PostJsonAsync(OperationPath(agentId, statusOperation), JobRequest(result.GetValue(jobId)!), ct);
            return await FollowAsync(result, global, client, agentId, job, statusOperation, result.GetValue(cancel), ct);
        }));
        agents.Subcommands.Add(watchCommand);
        return agents;
    }

    internal static async Task<string> ReadRequestAsync(string request, FileInfo? file, CancellationToken cancellationToken)
    {
        string text = (request, file) switch
        {
            (_, { Exists: false }) => throw new AdminApiException("invalid_request", $"request file {file.FullName} does not exist", exitCode: 2),
            (_, not null) => await File.ReadAllTextAsync(file.FullName, cancellationToken),
            ("-", _) => await Console.In.ReadToEndAsync(cancellationToken),
            _ => request,
        };
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new AdminApiException("invalid_request", $"the request is not JSON: {ex.Message}", exitCode: 2);
        }

        return text;
    }

    internal static long Processed(JsonElement job) =>
        job.TryGetProperty("processed", out JsonElement processed)
            ? processed.GetInt64()
            : (job.TryGetProperty("done", out JsonElement done) ? done.GetInt64() : 0) + (job.TryGetProperty("failed", out JsonElement failed) ? failed.GetInt64() : 0);

    private static bool IsRunningJob(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty("jobId", out _)
        && value.TryGetProperty("state", out JsonElement state) && state.GetString() == "running";

    private static string OperationPath(string agent, string operation) => $"/v1/agents/{Uri.EscapeDataString(agent)}/{Uri.EscapeDataString(operation)}";

    private static string JobRequest(string jobId) => JsonSerializer.Serialize(new Dictionary<string, string> { ["jobId"] = jobId });

    // Polls the status operation and redraws the bar until the job ends; prints the final report and returns
    // 0 when every item succeeded, 1 when some failed, 130 when it was cancelled.
    private static async Task<int> FollowAsync(ParseResult result, GlobalOptions global, AdminClient client, string agent, JsonElement job, string statusOperation, string? cancelOperation, CancellationToken cancellationToken)
    {
        string jobId = job.GetProperty("jobId").GetString()!;
        var bar = ProgressBar.ForConsole(jobId, job.TryGetProperty("total", out JsonElement total) ? total.GetInt64() : 0, "items");
        try
        {
            while (IsRunningJob(job))
            {
                bar.Report(Processed(job));
                await Task.Delay(PollInterval, cancellationToken);
                job = await client.PostJsonAsync(OperationPath(agent, statusOperation), JobRequest(jobId), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancelOperation is not null)
        {
            using AdminClient cancelClient = global.Connect(result);
            job = await cancelClient.PostJsonAsync(OperationPath(agent, cancelOperation), JobRequest(jobId), CancellationToken.None);
            await Console.Error.WriteLineAsync($"cancelled job {jobId} after {Processed(job)} items; running the same request again resumes it");
            Console.WriteLine(JsonOutput.Format(job));
            return 130;
        }

        bar.Report(Processed(job));
        bar.Complete();
        Console.WriteLine(JsonOutput.Format(job));
        string? state = job.GetProperty("state").GetString();
        bool someFailed = job.TryGetProperty("failed", out JsonElement failures) && failures.GetInt64() > 0;
        return state == "cancelled" ? 130 : state != "completed" || someFailed ? 1 : 0;
    }
}
