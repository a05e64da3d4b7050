namespace Nlps.Inference.Engine;

/// <summary>One token chosen for a sequence by the batch decoder: an end-of-sequence token, the last one its limits allow, or neither.</summary>
internal readonly record struct SampledToken(int Token, bool EndOfSequence, bool Last);
