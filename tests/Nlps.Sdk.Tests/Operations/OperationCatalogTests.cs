using System.Runtime.CompilerServices;
using System.Text;
using Nlps.Sdk.Agents;
using Nlps.Sdk.Operations;

namespace Nlps.Sdk.Tests.Operations;

public sealed class OperationCatalogTests
{
    private static readonly TestOperationsJsonContext Json = TestOperationsJsonContext.Default;

    private static OperationCatalog Catalog() => new OperationCatalog()
        .Add("translate", Json.TranslateRequest, Json.TranslateResponse, static (request, _) =>
            ValueTask.FromResult(new TranslateResponse($"[en] {request.Text}", request.Text.Length)))
        .AddStreaming("tokens", Json.TranslateRequest, Json.TokenItem, static (request, cancellationToken) => Tokens(request.Text, cancellationToken));

    [Fact]
    public async Task Unary_operation_maps_request_bytes_to_response_bytes()
    {
        var operation = Catalog().Operations["translate"];

        var response = await operation.InvokeAsync(Encoding.UTF8.GetBytes("""{"text":"안녕하세요"}"""), CancellationToken.None);

        Assert.False(operation.IsStreaming);
        var parsed = System.Text.Json.JsonSerializer.Deserialize(response, Json.TranslateResponse);
        Assert.Equal(new TranslateResponse("[en] 안녕하세요", 5), parsed);
    }

    [Fact]
    public async Task Streaming_operation_yields_each_item_as_json_bytes()
    {
        var operation = Catalog().Operations["tokens"];

        var items = new List<string>();
        await foreach (var item in operation.StreamAsync("""{"text":"a b c"}"""u8.ToArray(), CancellationToken.None))
        {
            items.Add(Encoding.UTF8.GetString(item));
        }

        Assert.True(operation.IsStreaming);
        Assert.Equal(["""{"index":0,"token":"a"}""", """{"index":1,"token":"b"}""", """{"index":2,"token":"c"}"""], items);
    }

    [Theory]
    [InlineData("""{"text":""")]
    [InlineData("""{"text":42}""")]
    [InlineData("""{}""")]
    [InlineData("")]
    public async Task Invalid_json_request_is_an_invalid_request_error(string body)
    {
        var operation = Catalog().Operations["translate"];

        var error = await Assert.ThrowsAsync<AgentOperationException>(async () => await operation.InvokeAsync(Encoding.UTF8.GetBytes(body), CancellationToken.None));

        Assert.Equal("invalid_request", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public async Task Json_null_request_is_an_invalid_request_error()
    {
        var operation = Catalog().Operations["translate"];

        var error = await Assert.ThrowsAsync<AgentOperationException>(async () => await operation.InvokeAsync("null"u8.ToArray(), CancellationToken.None));

        Assert.Equal("invalid_request", error.ErrorCode);
        Assert.Contains("not null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_request_to_a_streaming_operation_is_an_invalid_request_error()
    {
        var operation = Catalog().Operations["tokens"];

        var error = await Assert.ThrowsAsync<AgentOperationException>(async () =>
        {
            await foreach (var item in operation.StreamAsync("[1,2]"u8.ToArray(), CancellationToken.None))
            {
                Assert.Fail($"no item expected, got {item.Length} bytes");
            }
        });

        Assert.Equal("invalid_request", error.ErrorCode);
    }

    [Fact]
    public void Registering_an_operation_name_twice_throws()
    {
        var catalog = Catalog();

        var error = Assert.Throws<InvalidOperationException>(() =>
            catalog.Add("translate", Json.TranslateRequest, Json.TranslateResponse, static (request, _) => ValueTask.FromResult(new TranslateResponse(request.Text, 0))));

        Assert.Contains("'translate' is registered twice", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, catalog.Operations.Count);
    }

    [Fact]
    public void Streaming_and_unary_operations_share_one_name_space()
    {
        var catalog = Catalog();

        Assert.Throws<InvalidOperationException>(() =>
            catalog.AddStreaming("translate", Json.TranslateRequest, Json.TokenItem, static (request, cancellationToken) => Tokens(request.Text, cancellationToken)));
    }

    [Fact]
    public async Task Calling_a_unary_operation_as_a_stream_or_a_stream_as_unary_is_not_supported()
    {
        var catalog = Catalog();

        Assert.Throws<NotSupportedException>(() => catalog.Operations["translate"].StreamAsync("{}"u8.ToArray(), CancellationToken.None));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await catalog.Operations["tokens"].InvokeAsync("{}"u8.ToArray(), CancellationToken.None));
    }

    private static async IAsyncEnumerable<TokenItem> Tokens(string text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        foreach (var token in text.Split(' '))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new TokenItem(index++, token);
        }
    }
}
