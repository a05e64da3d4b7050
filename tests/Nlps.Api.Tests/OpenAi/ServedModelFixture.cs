namespace Nlps.Api.Tests.OpenAi;

/// <summary>One served tiny model shared by the tests of a class (starting one takes a model load).</summary>
public sealed class ServedModelFixture : IAsyncLifetime
{
    private ServedModel? _served;

    internal ServedModel Served => _served ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _served = await ServedModel.StartAsync();

    public async Task DisposeAsync()
    {
        if (_served is not null)
        {
            await _served.DisposeAsync();
        }
    }
}
