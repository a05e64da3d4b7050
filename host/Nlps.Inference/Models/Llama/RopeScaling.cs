namespace Nlps.Inference.Models.Llama;

/// <summary>
/// <c>rope_scaling</c> of config.json. <c>llama3</c> (Llama 3.1/3.2) rescales the low frequencies at every position;
/// <c>linear</c> divides all of them by <see cref="Factor"/>; <c>default</c>/absent leaves them alone.
/// </summary>
public sealed record RopeScaling(
    string Type,
    double Factor,
    double LowFrequencyFactor = 1,
    double HighFrequencyFactor = 4,
    int OriginalMaxPositionEmbeddings = 8192);
