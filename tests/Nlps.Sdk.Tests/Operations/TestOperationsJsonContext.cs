using System.Text.Json.Serialization;

namespace Nlps.Sdk.Tests.Operations;

public sealed record TranslateRequest(string Text);

public sealed record TranslateResponse(string Translation, int Characters);

public sealed record TokenItem(int Index, string Token);

// The way an agent provides its JsonTypeInfo: a source-generated context in the plugin's own assembly.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TranslateRequest))]
[JsonSerializable(typeof(TranslateResponse))]
[JsonSerializable(typeof(TokenItem))]
internal sealed partial class TestOperationsJsonContext : JsonSerializerContext;
