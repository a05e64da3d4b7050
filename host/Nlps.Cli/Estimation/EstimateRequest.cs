namespace Nlps.Cli.Estimation;

/// <summary>What <c>nlpsctl estimate</c> was asked, as typed on the command line.</summary>
internal sealed record EstimateRequest(
    FileInfo ConfigFile,
    string Quantization,
    string KvCache,
    int? MaxContext,
    int MaxSequences,
    int? TensorParallel);
