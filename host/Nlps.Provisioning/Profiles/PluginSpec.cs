using System.Text.Json.Nodes;

namespace Nlps.Provisioning.Profiles;

/// <summary>An agent package on the media, its configuration, and the requests the acceptance run sends it.</summary>
/// <param name="Package">The .nlpkg on the media, relative to its root.</param>
/// <param name="Config">The agent's configuration (nlpsd's <c>Agents:&lt;id&gt;</c> section), or null.</param>
public sealed record PluginSpec(string Package, JsonObject? Config, IReadOnlyList<AcceptanceRequest> Acceptance);

/// <summary>One real agent call of the acceptance run; it passes on a 2xx answer.</summary>
public sealed record AcceptanceRequest(string Operation, JsonObject Body);
