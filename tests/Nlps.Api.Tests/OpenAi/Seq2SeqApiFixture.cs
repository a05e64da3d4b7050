using Nlps.Api.Tests.Support;
using Nlps.Inference.Engine;
using Nlps.Inference.Seq2Seq;
using Nlps.Testing.Models;

namespace Nlps.Api.Tests.OpenAi;

/// <summary>
/// An in-process appliance serving a tiny random BART, imported through the model store, as deployment "keywords"
/// under the <c>generate</c> role (8 new tokens by default); plus the same folder loaded directly as the reference.
/// </summary>
public sealed class Seq2SeqApiFixture : IAsyncLifetime
{
    private readonly TinyBart _bart = TinyBart.Create();

    internal TestAppliance Appliance { get; private set; } = null!;

    internal Seq2SeqTextModel Reference { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Appliance = new TestAppliance(new Dictionary<string, string?>
        {
            ["Models:Deployments:keywords:Model"] = "tiny-bart",
            ["Models:Deployments:keywords:Roles:0"] = "generate",
            ["Models:Deployments:keywords:Threads"] = "1",
            ["Models:Deployments:keywords:Seq2Seq:MaxNewTokens"] = "8",
        });
        await Appliance.ImportModelAsync(_bart.Folder, "tiny-bart");
        _ = Appliance.Services;
        Reference = Seq2SeqTextModel.Load(_bart.Folder, new Seq2SeqModelOptions { Engine = new CpuEngineOptions { Threads = 1 } });
    }

    public async Task DisposeAsync()
    {
        await Appliance.DisposeAsync();
        Reference.Dispose();
        _bart.Dispose();
    }
}
