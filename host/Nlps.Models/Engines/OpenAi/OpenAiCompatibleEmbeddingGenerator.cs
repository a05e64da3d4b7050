using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Nlps.Inference.Engine;

namespace Nlps.Models.Engines.OpenAi;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over an OpenAI-compatible server (vLLM's pooling runner,
/// <c>nlpsd engine serve</c> with an encoder, a remote cluster): one <c>POST /v1/embeddings</c> per call with every
/// input, float vectors, <c>dimensions</c> passed on when asked. The answer must hold exactly one vector per input
/// (put back in input order by <c>index</c>), all of one length; anything else, like a non-2xx answer, throws
/// <see cref="EngineHttpException"/> with the server's message.
/// </summary>
public sealed class OpenAiCompatibleEmbeddingGenerator(HttpClient http, Uri baseAddress, string model, string? apiKey = null)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HttpClient _http = http ?? throw new ArgumentNullException(nameof(http));
    private readonly Uri _endpoint = new(baseAddress ?? throw new ArgumentNullException(nameof(baseAddress)), "v1/embeddings");

    public string Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        List<string> inputs = [.. values];
        if (inputs.Count == 0)
        {
            return [];
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(Body(inputs, options?.Dimensions)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw EngineHttpException.FromErrorBody((int)response.StatusCode, $"{Model} answered {(int)response.StatusCode}", text);
        }

        return Read(text, inputs.Count);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        ClientServices.Resolve(this, serviceType, serviceKey, new EmbeddingGeneratorMetadata("openai-compatible", _endpoint, Model));

    public void Dispose()
    {
        // The HttpClient belongs to the back-end.
    }

    private byte[] Body(List<string> inputs, int? dimensions)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteStartArray("input");
            foreach (string input in inputs)
            {
                json.WriteStringValue(input);
            }

            json.WriteEndArray();
            json.WriteString("encoding_format", "float");
            if (dimensions is int d)
            {
                json.WriteNumber("dimensions", d);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private GeneratedEmbeddings<Embedding<float>> Read(string text, int expected)
    {
        float[]?[] vectors = new float[expected][];
        long? tokens = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
            {
                throw Malformed("no data array");
            }

            int position = 0;
            foreach (JsonElement item in data.EnumerateArray())
            {
                int index = item.TryGetProperty("index", out JsonElement i) && i.TryGetInt32(out int n) ? n : position;
                if (index < 0 || index >= expected || vectors[index] is not null)
                {
                    throw Malformed($"embedding index {index} is outside 0..{expected - 1} or repeated");
                }

                vectors[index] = item.TryGetProperty("embedding", out JsonElement vector) && vector.ValueKind == JsonValueKind.Array
                    ? vector.EnumerateArray().Select(v => v.GetSingle()).ToArray()
                    : throw Malformed($"data[{position}] has no float embedding");
                position++;
            }

            if (root.TryGetProperty("usage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object
                && usage.TryGetProperty("prompt_tokens", out JsonElement prompt) && prompt.TryGetInt64(out long count))
            {
                tokens = count;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw Malformed(ex.Message);
        }

        if (Array.FindIndex(vectors, v => v is null) is int missing and >= 0)
        {
            throw Malformed($"{vectors.Count(v => v is not null)} embeddings for {expected} inputs (none for input {missing})");
        }

        if (vectors.Select(v => v!.Length).Distinct().Count() != 1)
        {
            throw Malformed("vectors of different lengths");
        }

        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v!) { ModelId = Model }))
        {
            Usage = tokens is null ? null : new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
    }

    private EngineHttpException Malformed(string what) => new(200, $"{Model} answered /v1/embeddings with an unusable document: {what}");
}
