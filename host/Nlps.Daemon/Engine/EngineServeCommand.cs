using Nlps.Api.Metrics;
using Nlps.Api.Metrics.Exposition;
using Nlps.Api.OpenAi;
using Nlps.Inference.Engine;
using Nlps.Models.Deployments;

namespace Nlps.Daemon.Engine;

/// <summary>
/// <c>nlpsd engine serve</c>: the built-in engine as its own process, speaking the same OpenAI-compatible API as the
/// appliance (<c>/v1/models</c>, <c>/v1/chat/completions</c> with streaming, <c>/v1/embeddings</c> for an encoder) plus vLLM's <c>/health</c> and a
/// <c>/metrics</c> page, without credentials, so nlpsd can supervise it (and tests can use it as a remote endpoint)
/// exactly as it would a vLLM server. The port is bound only once the model is loaded.
/// </summary>
internal static class EngineServeCommand
{
    private const int UsageError = 64; // EX_USAGE

    public static async Task<int> RunAsync(string[] args)
    {
        EngineServeArguments? arguments = EngineServeArguments.Parse(args, out string error);
        if (arguments is null)
        {
            await System.Console.Error.WriteLineAsync($"nlpsd engine serve: {error}\n{EngineServeArguments.Usage}");
            return UsageError;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        });
        builder.WebHost.UseUrls($"http://{arguments.Host}:{arguments.Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        StandaloneModel model;
        try
        {
            model = StandaloneModel.Load(
                arguments.Model,
                arguments.ServedModelNames,
                new CpuEngineOptions { WeightFormat = arguments.WeightFormat, MaxContextTokens = arguments.MaxModelLength, Threads = arguments.Threads },
                arguments.MaxSequences,
                TimeProvider.System);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException)
        {
            await System.Console.Error.WriteLineAsync($"nlpsd engine serve: cannot load the model in {arguments.Model}: {ex.Message}");
            return 1;
        }

        using (model)
        {
            bool embedding = model.List()[0].IsEmbedding;
            if (arguments.Runner != "auto" && arguments.Runner == "pooling" != embedding)
            {
                await System.Console.Error.WriteLineAsync(
                    $"nlpsd engine serve: --runner {arguments.Runner} does not fit the model in {arguments.Model}: it is {(embedding ? "an encoder (use --runner pooling)" : "a chat model (use --runner generate)")}");
                return UsageError;
            }

            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<IServedModels>(model);
            builder.Services.AddSingleton<ApplianceMetrics>();
            builder.Services.AddSingleton<MetricsExporter>();
            builder.Services.AddSingleton<ChatCompletionHandler>();
            builder.Services.AddSingleton<EmbeddingsHandler>();
            builder.Services.AddRouting();

            await using WebApplication app = builder.Build();
            // The exporter listens before the instruments exist: instruments report only to listeners already there.
            MetricsExporter exporter = app.Services.GetRequiredService<MetricsExporter>();
            _ = app.Services.GetRequiredService<ApplianceMetrics>();
            app.MapGet("/health", () => Results.Ok());
            app.MapGet(MetricsEndpoints.Path, () => Results.Text(exporter.Scrape(), PrometheusTextFormat.ContentType));
            app.MapOpenAiEndpoints(open: true);
            try
            {
                await app.RunAsync();
            }
            catch (IOException ex)
            {
                // Kestrel reports a taken port as an IOException ("address already in use").
                await System.Console.Error.WriteLineAsync($"nlpsd engine serve: cannot listen on {arguments.Host}:{arguments.Port}: {ex.Message}");
                return 1;
            }
        }

        return 0;
    }
}
