using System.Text.Json;

namespace Nlps.Api.Agents;

/// <summary>One operation of a running agent as <c>GET /v1/agents/{agent}/operations</c> describes it.</summary>
/// <param name="Name">The operation name (the last URL segment).</param>
/// <param name="Description">What it does, from plugin.json.</param>
/// <param name="Streaming">True when it answers with server-sent events.</param>
/// <param name="RequestSchema">The JSON Schema of its request body.</param>
public sealed record OperationSchema(string Name, string? Description, bool Streaming, JsonElement RequestSchema);
