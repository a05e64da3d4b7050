using Nlps.Api.Tests.Support;
using Nlps.Inference.Embeddings;
using Nlps.Testing.Models;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>
/// An in-process appliance serving a tiny random encoder as embedding deployment "e5" (prefixes "query: " /
/// "passage: ", 32 positions, refuses longer inputs) and a tiny chat model as "tiny"; plus the encoder loaded directly.
/// </summary>
public sealed class EmbeddingsApiFixture : IAsyncLifetime
{
    private readonly TinyEncoder _encoder = TinyEncoder.Create(new TinyEncoderSpec { MaxPositions = 32 });
    private readonly TinyModel _chat = TinyModel.Create(TinyModelSpec.Llama3);

    internal TestAppliance Appliance { get; private set; } = null!;

    internal EncoderEmbeddingModel Reference { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Appliance = new TestAppliance(new Dictionary<string, string?>
        {
            ["Models:Deployments:e5:Model"] = "tiny-e5",
            ["Models:Deployments:e5:Roles:0"] = "embed",
            ["Models:Deployments:e5:Threads"] = "1",
            ["Models:Deployments:e5:Embedding:QueryPrefix"] = "query: ",
            ["Models:Deployments:e5:Embedding:PassagePrefix"] = "passage: ",
            ["Models:Deployments:tiny:Model"] = "tiny-llama",
            ["Models:Deployments:tiny:Roles:0"] = "chat",
            ["Models:Deployments:tiny:Threads"] = "1",
        });
        await Appliance.ImportModelAsync(_encoder.Folder, "tiny-e5");
        await Appliance.ImportModelAsync(_chat.Folder, "tiny-llama");
        _ = Appliance.Services;
        Reference = EncoderEmbeddingModel.Load(_encoder.Folder, new EncoderEmbeddingModelOptions { Threads = 1 });
    }

    public async Task DisposeAsync()
    {
        await Appliance.DisposeAsync();
        Reference.Dispose();
        _encoder.Dispose();
        _chat.Dispose();
    }
}
