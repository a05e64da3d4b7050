using Nlps.Models.Estimation;

namespace Nlps.Provisioning.Profiles;

/// <summary>A model on the media and how the box serves it (the nlpsd deployment of the same name).</summary>
/// <param name="Id">The model store id and the deployment name (the OpenAI <c>model</c>).</param>
/// <param name="Path">The model folder on the media, relative to its root.</param>
/// <param name="Device">Where the planner may put it: <c>gpu</c>, <c>cpu</c> or <c>any</c>.</param>
/// <param name="Roles">Model roles it serves by default (e.g. chat).</param>
public sealed record ModelSpec(
    string Id,
    string Path,
    QuantizationMode Quantization,
    int MaxContext,
    int Concurrency,
    bool Pinned,
    string Device,
    IReadOnlyList<string> Roles);
